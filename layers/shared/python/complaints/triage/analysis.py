"""Triage's reading of a complaint: category, product line, sentiment, churn risk and risk flags.

    from complaints.triage.analysis import analyse
    analyse("I will close my account and report you to the CFPB").risk_flags  # ("regulator",)

The model is loaded on the first call and kept for the life of the process (a warm Lambda reuses it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from complaints.triage.flags import RiskFlag, risk_flags
from complaints.triage.lexicon import (
    PRODUCT_LINES,
    ZH_PRODUCT_TIE_ORDER,
    Category,
    ProductLine,
    category_hits,
    english_sentiment_counts,
    has_churn_signal,
    product_keyword_hits,
    unambiguous_loan_cue,
)
from complaints.triage.model import ARTEFACT_PATH, MODEL_NAME, TriageModel, load_model
from complaints.triage.text import Language, detect_language

__all__ = [
    "MODEL_NAME",
    "Sentiment",
    "TextAnalysis",
    "analyse",
    "current_model",
]

SentimentLabel = Literal["negative", "neutral", "positive"]
ChurnRisk = Literal["low", "medium", "high"]
# English lexicon polarity at or beyond which a text is negative (positive): one net complaint word is.
ENGLISH_POLARITY_CUT = 0.25
# Flags that mean the customer is already escalating: with negative sentiment they make churn high.
ESCALATION_FLAGS: frozenset[RiskFlag] = frozenset({"regulator", "litigation", "media"})


@dataclass(frozen=True)
class Sentiment:
    label: SentimentLabel
    # Polarity from -1 (most negative) to 1 (most positive).
    score: float


@dataclass(frozen=True)
class TextAnalysis:
    language: Language
    category: Category
    product: ProductLine
    sentiment: Sentiment
    churn_risk: ChurnRisk
    risk_flags: tuple[RiskFlag, ...]
    model: str

    def to_record(self) -> dict[str, Any]:
        """The triage record's fields this analysis fills, named as the record names them."""
        return {
            "category": self.category,
            "product": self.product,
            "sentiment": {"label": self.sentiment.label, "score": self.sentiment.score},
            "churnRisk": self.churn_risk,
            "riskFlags": list(self.risk_flags),
            "model": self.model,
        }


_loaded: TriageModel | None = None
_loading = threading.Lock()


def current_model(path: Path = ARTEFACT_PATH) -> TriageModel:
    """The model, loaded once per process (ModelMissing, naming `make train`, when not built)."""
    global _loaded
    if _loaded is None:
        with _loading:
            if _loaded is None:
                _loaded = load_model(path)
    return _loaded


def analyse(
    description: str, language: Language | None = None, model: TriageModel | None = None
) -> TextAnalysis:
    """Read one complaint; language None detects it (zh-CN or en)."""
    model = model or current_model()
    language = language or detect_language(description)
    # The rules alone decide every flag (docs/triage.md, "Risk flags").
    flags = risk_flags(description, language)
    sentiment = _sentiment(description, language, model)
    return TextAnalysis(
        language=language,
        category=_category(description, language),
        product=_product(description, language, model),
        sentiment=sentiment,
        churn_risk=_churn_risk(description, language, sentiment, flags),
        risk_flags=flags,
        model=model.name,
    )


def _product(description: str, language: Language, model: TriageModel) -> ProductLine:
    if language == "zh-CN":
        # No Chinese product training data: the bilingual keyword layer decides.
        hits = product_keyword_hits(description, language)
        if not hits:
            return "other"
        return max(
            ZH_PRODUCT_TIE_ORDER, key=lambda line: (hits.get(line, 0), -ZH_PRODUCT_TIE_ORDER.index(line))
        )
    # A named loan type or loan company outside a mortgage or credit-report context is a loan
    # (docs/triage.md: checked by cross-validation on the training part).
    if unambiguous_loan_cue(description):
        return "loan"
    probabilities = model.product_en.probabilities(description)
    return max(PRODUCT_LINES, key=lambda line: probabilities.get(line, -1.0))


def _sentiment(description: str, language: Language, model: TriageModel) -> Sentiment:
    if language == "zh-CN":
        probabilities = model.sentiment_zh.probabilities(description)
        score = round(probabilities["positive"] - probabilities["negative"], 4)
        if probabilities["negative"] >= model.negative_threshold_zh:
            return Sentiment("negative", score)
        if probabilities["positive"] > probabilities["neutral"]:
            return Sentiment("positive", score)
        return Sentiment("neutral", score)
    negative, positive = english_sentiment_counts(description)
    polarity = round((positive - negative) / (positive + negative + 1), 4)
    if polarity <= -ENGLISH_POLARITY_CUT:
        return Sentiment("negative", polarity)
    if polarity >= ENGLISH_POLARITY_CUT:
        return Sentiment("positive", polarity)
    return Sentiment("neutral", polarity)


def _category(description: str, language: Language) -> Category:
    hits = category_hits(description, language)
    # How the bank behaved outweighs what went wrong with the product or the system.
    if hits["conduct"]:
        return "conduct"
    if hits["technical"] or hits["product"]:
        return "technical" if hits["technical"] >= hits["product"] else "product"
    return "service"


def _churn_risk(
    description: str, language: Language, sentiment: Sentiment, flags: tuple[RiskFlag, ...]
) -> ChurnRisk:
    if has_churn_signal(description, language):
        return "high"
    if sentiment.label == "negative":
        return "high" if ESCALATION_FLAGS.intersection(flags) else "medium"
    return "low"
