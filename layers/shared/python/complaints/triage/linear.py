"""A TF-IDF + logistic-regression classifier applied in pure Python from exported weights.

It computes what scikit-learn computes for ``TfidfVectorizer(analyzer=features, sublinear_tf=True)``
(L2-normalised rows), with a few dense lexicon counts appended unnormalised, followed by
``LogisticRegression.predict_proba``: same features, same vocabulary, same arithmetic.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FeatureFunction = Callable[[str], list[str]]
DenseFunction = Callable[[str], list[float]]


def no_dense_features(text: str) -> list[float]:
    return []


@dataclass(frozen=True)
class LinearTextModel:
    """Per term [idf, weight per score row]; per dense feature one weight per score row.

    Binary models have a single score row (the second class's), as scikit-learn keeps them."""

    classes: tuple[str, ...]
    features: FeatureFunction
    # Kept as the artefact's JSON gives them: converting 50,000 rows would double the load time.
    vocabulary: Mapping[str, Sequence[float]]
    intercepts: tuple[float, ...]
    dense: DenseFunction = no_dense_features
    dense_weights: tuple[tuple[float, ...], ...] = ()
    sublinear_tf: bool = True

    @classmethod
    def from_artefact(
        cls, section: Mapping[str, Any], features: FeatureFunction, dense: DenseFunction = no_dense_features
    ) -> LinearTextModel:
        """From the artefact's section: {"classes", "intercepts", "sublinear_tf", "dense_weights",
        "vocabulary": {term: [idf, w_1, …]}}."""
        return cls(
            classes=tuple(section["classes"]),
            features=features,
            vocabulary=section["vocabulary"],
            intercepts=tuple(float(value) for value in section["intercepts"]),
            dense=dense,
            dense_weights=tuple(tuple(float(w) for w in row) for row in section.get("dense_weights", [])),
            sublinear_tf=bool(section["sublinear_tf"]),
        )

    def scores(self, text: str) -> list[float]:
        """The decision function: one score per row."""
        counts = Counter(term for term in self.features(text) if term in self.vocabulary)
        values = {
            term: (1.0 + math.log(count) if self.sublinear_tf else float(count)) * self.vocabulary[term][0]
            for term, count in counts.items()
        }
        norm = math.sqrt(sum(value * value for value in values.values())) or 1.0
        scores = list(self.intercepts)
        for term, value in values.items():
            weights = self.vocabulary[term]
            for row in range(len(scores)):
                scores[row] += weights[row + 1] * value / norm
        for value, row_weights in zip(self.dense(text), self.dense_weights, strict=True):
            for row, weight in enumerate(row_weights):
                scores[row] += weight * value
        return scores

    def probabilities(self, text: str) -> dict[str, float]:
        """Class → probability, as predict_proba gives them."""
        scores = self.scores(text)
        if len(self.classes) == 2:
            second = _sigmoid(scores[0])
            return {self.classes[0]: 1.0 - second, self.classes[1]: second}
        top = max(scores)
        exponentials = [math.exp(score - top) for score in scores]
        total = sum(exponentials)
        return {label: value / total for label, value in zip(self.classes, exponentials, strict=True)}


def _sigmoid(score: float) -> float:
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    exponential = math.exp(score)
    return exponential / (1.0 + exponential)
