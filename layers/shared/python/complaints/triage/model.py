"""The trained artefact: where it lives, how it loads, and the classifiers it holds: the English product
model and the Chinese sentiment model. (Risk flags are rules alone, complaints.triage.flags: the learned
litigation confirmer of revisions 7-8 was removed in revision 9, docs/triage.md.)"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from complaints.triage.flags import RULES_VERSION
from complaints.triage.lexicon import chinese_sentiment_dense_features, english_product_dense_features
from complaints.triage.linear import LinearTextModel
from complaints.triage.text import chinese_char_features, english_char_features

MODEL_NAME = "complaint-guard-triage"
# Bumped when the artefact's layout changes; the runtime refuses an artefact of another format.
ARTEFACT_FORMAT = 1
ARTEFACT_PATH = Path(__file__).resolve().parent / "model" / "triage-model.json.gz"


class ModelMissing(FileNotFoundError):
    """The artefact has not been built: `make train` builds it."""


@dataclass(frozen=True)
class TriageModel:
    version: str
    product_en: LinearTextModel
    sentiment_zh: LinearTextModel
    negative_threshold_zh: float

    @property
    def name(self) -> str:
        """What the triage record's "model" field says: name, the trained artefact's version and the risk-flag
        rules' (which flags a complaint raised depends on both, and compliance asks which rules did)."""
        return f"{MODEL_NAME}/{self.version}+rules.{RULES_VERSION}"


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
    )
