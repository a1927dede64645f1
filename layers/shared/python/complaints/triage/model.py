"""The trained artefact: where it lives, how it loads, and the classifiers it holds: the English product
model, the Chinese sentiment model and (since revision 7, optional) the English litigation confirmer."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from complaints.triage.flags import RiskFlag, hit_windows
from complaints.triage.lexicon import chinese_sentiment_dense_features, english_product_dense_features
from complaints.triage.linear import LinearTextModel
from complaints.triage.text import chinese_char_features, english_char_features

MODEL_NAME = "complaint-guard-triage"
# Bumped when the artefact's layout changes; the runtime refuses an artefact of another format.
ARTEFACT_FORMAT = 1
ARTEFACT_PATH = Path(__file__).resolve().parent / "model" / "triage-model.json.gz"


class ModelMissing(FileNotFoundError):
    """The artefact has not been built: `make train` builds it."""


# The artefact's sections of learned flag confirmers, by flag (docs/triage.md, "Risk flags").
CONFIRMER_SECTIONS: dict[RiskFlag, str] = {"litigation": "litigation_confirmer_en"}
CONFIRMED_CLASS = "confirmed"


def _no_text_features(text: str) -> list[str]:
    # A confirmer reads the windows around the rule's hits (hit_windows), never a whole text.
    return []


@dataclass(frozen=True)
class HitConfirmer:
    """A learned check on one English flag the rules raise: a binary logistic regression over the words
    around each hit the rules keep; the flag stands when some hit's P(confirmed) reaches the threshold."""

    flag: RiskFlag
    classifier: LinearTextModel
    width: int
    threshold: float

    @classmethod
    def from_artefact(cls, flag: RiskFlag, section: dict[str, Any]) -> HitConfirmer:
        return cls(
            flag=flag,
            classifier=LinearTextModel.from_artefact(section, _no_text_features),
            width=int(section["window"]),
            threshold=float(section["threshold"]),
        )

    def score(self, text: str) -> float:
        """The highest P(confirmed) over the hits the rules keep; 0 when they keep none."""
        return max(
            (
                self.classifier.term_probabilities(terms)[CONFIRMED_CLASS]
                for terms, kept in hit_windows(self.flag, text, self.width)
                if kept
            ),
            default=0.0,
        )

    def confirms(self, text: str) -> bool:
        return self.score(text) >= self.threshold


@dataclass(frozen=True)
class TriageModel:
    version: str
    product_en: LinearTextModel
    sentiment_zh: LinearTextModel
    negative_threshold_zh: float
    # Flag → its learned confirmer; empty for an artefact trained before revision 7 (the rules alone).
    confirmers: dict[RiskFlag, HitConfirmer] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """What the triage record's "model" field says: name and version."""
        return f"{MODEL_NAME}/{self.version}"


def load_model(path: Path = ARTEFACT_PATH) -> TriageModel:
    if not path.exists():
        raise ModelMissing(f"no triage model at {path}: run `make train`")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        artefact: dict[str, Any] = json.load(handle)
    if artefact.get("format") != ARTEFACT_FORMAT:
        raise ValueError(
            f"{path} is of format {artefact.get('format')}, this runtime reads {ARTEFACT_FORMAT}"
        )
    return TriageModel(
        version=str(artefact["version"]),
        product_en=LinearTextModel.from_artefact(
            artefact["product_en"], english_char_features, english_product_dense_features
        ),
        sentiment_zh=LinearTextModel.from_artefact(
            artefact["sentiment_zh"], chinese_char_features, chinese_sentiment_dense_features
        ),
        negative_threshold_zh=float(artefact["sentiment_zh"]["negative_threshold"]),
        confirmers={
            flag: HitConfirmer.from_artefact(flag, cast(dict[str, Any], artefact[section]))
            for flag, section in CONFIRMER_SECTIONS.items()
            if section in artefact
        },
    )
