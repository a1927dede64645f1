"""Train the triage model and export it as the artefact the pure-Python runtime applies.

    python -m training.train [--output PATH]

Seeded and deterministic: the same data and code give the same bytes. scikit-learn is used here only;
the runtime (complaints.triage) reads the exported vocabulary, idf, weights and intercepts.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sparse
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from complaints.triage.lexicon import (
    chinese_sentiment_dense_features,
    english_product_dense_features,
    unambiguous_loan_cue,
)
from complaints.triage.model import ARTEFACT_FORMAT, ARTEFACT_PATH, MODEL_NAME
from complaints.triage.text import chinese_char_features, english_char_features
from training.prepare_data import CFPB_COPY, NARRATIVE, ZH_SENTIMENT_COPY

SEED = 20261201
# Settings chosen by 5-fold cross-validation on the training parts (docs/triage.md, "How it was chosen").
PRODUCT_C = 16.0
# Added to the loan intercept after fitting (a prior correction for the rare loan line): 0.25 had the best
# cross-validated macro-F1 over our lines on the training part (docs/triage.md).
PRODUCT_LOAN_BIAS = 0.25
PRODUCT_MIN_DF = 2
SENTIMENT_C = 4.0
SENTIMENT_MIN_DF = 2
THRESHOLD_FOLDS = 5
TRAINING_JOBS = 2
THRESHOLD_GRID = tuple(round(value, 2) for value in np.arange(0.10, 0.91, 0.01))
# Decimals kept in the artefact: the runtime's probabilities stay within 1e-3 of scikit-learn's.
DECIMALS = 4


def product_line(product: str, sub_product: str) -> str:
    """CFPB Product / Sub-product → our product line (the mapping docs/triage.md documents)."""
    product, sub_product = product.lower(), sub_product.lower()
    if product.startswith("mortgage"):
        return "mortgage"
    if product.startswith("credit card"):
        return "payment" if ("prepaid" in sub_product or "gift card" in sub_product) else "credit_card"
    if product.startswith("prepaid card") or product.startswith("money transfer"):
        return "payment"
    if product in {"checking or savings account", "bank account or service"}:
        return "loan" if "line of credit" in sub_product else "deposit"
    if any(name in product for name in ("student loan", "vehicle loan", "payday loan", "consumer loan")):
        return "loan"
    if product.startswith("debt collection"):
        # A collector's debt belongs to the line it came from, when the CFPB records one of ours.
        if "credit card" in sub_product:
            return "credit_card"
        if "mortgage" in sub_product:
            return "mortgage"
        if any(name in sub_product for name in ("auto", "student loan", "payday")):
            return "loan"
        return "other"
    # Credit reporting and credit repair are about the bureaus' files, not a line the bank sells.
    return "other"


@dataclass(frozen=True)
class CfpbNarrative:
    complaint_id: int
    received: tuple[int, int, int]
    product: str
    sub_product: str
    issue: str
    sub_issue: str
    tags: str
    text: str

    @property
    def line(self) -> str:
        return product_line(self.product, self.sub_product)


def read_cfpb(path: Path = CFPB_COPY) -> list[CfpbNarrative]:
    """CFPB rows with a narrative, in the order they were received (then by complaint id)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            CfpbNarrative(
                complaint_id=int(row["Complaint ID"]),
                received=_date(row["Date received"]),
                product=row["Product"],
                sub_product=row["Sub-product"],
                issue=row["Issue"],
                sub_issue=row["Sub-issue"],
                tags=row["Tags"],
                text=row[NARRATIVE],
            )
            for row in csv.DictReader(handle)
            if row[NARRATIVE].strip()
        ]
    return sorted(rows, key=lambda row: (row.received, row.complaint_id))


def _date(value: str) -> tuple[int, int, int]:
    # The CFPB file writes YYYY/M/D; the copy may come as YYYY-MM-DD.
    year, month, day = (int(part) for part in value.replace("-", "/").split("/"))
    return year, month, day


def read_sentiment(path: Path = ZH_SENTIMENT_COPY) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], [row["sentiment"] for row in rows]


@dataclass(frozen=True)
class FittedModel:
    """A vectoriser and a classifier as scikit-learn fitted them, and the dense features beside them."""

    vectorizer: TfidfVectorizer
    classifier: LogisticRegression
    dense: Callable[[str], list[float]]

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return _with_dense(self.vectorizer.transform(texts), texts, self.dense)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        result: np.ndarray = self.classifier.predict_proba(self.matrix(texts))
        return result


def _with_dense(
    tfidf: sparse.csr_matrix, texts: Sequence[str], dense: Callable[[str], list[float]]
) -> sparse.csr_matrix:
    columns = np.array([dense(text) for text in texts], dtype=float)
    return sparse.hstack([tfidf, sparse.csr_matrix(columns)]).tocsr()


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    features: Callable[[str], list[str]],
    dense: Callable[[str], list[float]],
    regularisation: float,
    min_df: int,
) -> FittedModel:
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=min_df, dtype=np.float64)
    matrix = _with_dense(vectorizer.fit_transform(texts), texts, dense)
    # Balanced class weights: the lines and the negative class are rare, and they are what triage is for.
    classifier = LogisticRegression(
        C=regularisation, class_weight="balanced", max_iter=5000, random_state=SEED
    )
    classifier.fit(matrix, list(labels))
    return FittedModel(vectorizer, classifier, dense)


def fit_product_model(texts: Sequence[str], labels: Sequence[str]) -> FittedModel:
    model = fit(
        texts, labels, english_char_features, english_product_dense_features, PRODUCT_C, PRODUCT_MIN_DF
    )
    # The prior correction lives in the intercept, so predict_proba and the exported runtime agree.
    classes = list(model.classifier.classes_)
    if "loan" in classes:
        model.classifier.intercept_[classes.index("loan")] += PRODUCT_LOAN_BIAS
    return model


def predict_products(model: FittedModel, texts: Sequence[str]) -> list[str]:
    """What the runtime answers for English text: the loan override, else the model's top line."""
    predicted = [str(label) for label in model.classifier.predict(model.matrix(texts))]
    return [
        "loan" if unambiguous_loan_cue(text) else line for text, line in zip(texts, predicted, strict=True)
    ]


def fit_sentiment_model(texts: Sequence[str], labels: Sequence[str]) -> FittedModel:
    return fit(
        texts, labels, chinese_char_features, chinese_sentiment_dense_features, SENTIMENT_C, SENTIMENT_MIN_DF
    )


def choose_negative_threshold(texts: Sequence[str], labels: Sequence[str]) -> tuple[float, float]:
    """The P(negative) cut with the best out-of-fold negative-class F1 on these texts only: (cut, F1)."""
    texts_array = np.array(texts, dtype=object)
    labels_array = np.array(labels)
    out_of_fold = np.zeros(len(texts_array))
    folds = list(
        StratifiedKFold(n_splits=THRESHOLD_FOLDS, shuffle=True, random_state=SEED).split(
            texts_array, labels_array
        )
    )
    # The folds are independent: two at a time keeps training well under a minute on two cores.
    fold_probabilities = Parallel(n_jobs=TRAINING_JOBS)(
        delayed(_negative_probabilities)(
            list(texts_array[train_rows]), list(labels_array[train_rows]), list(texts_array[test_rows])
        )
        for train_rows, test_rows in folds
    )
    for (_, test_rows), probabilities in zip(folds, fold_probabilities, strict=True):
        out_of_fold[test_rows] = probabilities
    is_negative = labels_array == "negative"
    scored = [(float(f1_score(is_negative, out_of_fold >= cut)), cut) for cut in THRESHOLD_GRID]
    best_f1, best_cut = max(scored, key=lambda pair: (pair[0], -pair[1]))
    return best_cut, best_f1


def _negative_probabilities(
    train_texts: Sequence[str], train_labels: Sequence[str], test_texts: Sequence[str]
) -> np.ndarray:
    model = fit_sentiment_model(train_texts, train_labels)
    negative = list(model.classifier.classes_).index("negative")
    column: np.ndarray = model.probabilities(test_texts)[:, negative]
    return column


def export_section(model: FittedModel) -> dict[str, Any]:
    """The classifier as the runtime's LinearTextModel reads it."""
    coefficients = model.classifier.coef_
    terms = model.vectorizer.get_feature_names_out()
    term_count = len(terms)
    idf = model.vectorizer.idf_
    vocabulary = {
        str(term): [round(float(idf[column]), DECIMALS)]
        + [round(float(value), DECIMALS) for value in coefficients[:, column]]
        for column, term in enumerate(terms)
    }
    dense_weights = [
        [round(float(value), DECIMALS) for value in coefficients[:, column]]
        for column in range(term_count, coefficients.shape[1])
    ]
    return {
        "classes": [str(label) for label in model.classifier.classes_],
        "intercepts": [round(float(value), DECIMALS) for value in model.classifier.intercept_],
        "sublinear_tf": True,
        "dense_weights": dense_weights,
        "vocabulary": dict(sorted(vocabulary.items())),
    }


def build_artefact() -> dict[str, Any]:
    """Both classifiers trained on all the committed data (the shipped model)."""
    narratives = read_cfpb()
    product_model = fit_product_model([row.text for row in narratives], [row.line for row in narratives])
    texts, labels = read_sentiment()
    threshold, cross_validated_f1 = choose_negative_threshold(texts, labels)
    sentiment_model = fit_sentiment_model(texts, labels)
    sentiment_section = export_section(sentiment_model) | {
        "negative_threshold": threshold,
        "cross_validated_negative_f1": round(cross_validated_f1, 4),
    }
    body: dict[str, Any] = {
        "format": ARTEFACT_FORMAT,
        "name": MODEL_NAME,
        "provenance": {
            "product_en": f"{len(narratives)} CFPB narratives, training/data/{CFPB_COPY.name}",
            "sentiment_zh": f"{len(texts)} zh bank comments (dev half), "
            f"training/data/{ZH_SENTIMENT_COPY.name}",
        },
        "product_en": export_section(product_model),
        "sentiment_zh": sentiment_section,
    }
    # The version names the content, so the same training gives the same version.
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return {"version": f"{ARTEFACT_FORMAT}.{digest[:12]}"} | body


def write_artefact(artefact: dict[str, Any], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(artefact, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    temporary = output.with_suffix(".tmp")
    # No name and mtime=0 in the gzip header: the same model gives the same bytes.
    with (
        temporary.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz,
    ):
        gz.write(payload)
    temporary.replace(output)


def train(output: Path = ARTEFACT_PATH) -> Path:
    write_artefact(build_artefact(), output)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the triage model.")
    parser.add_argument("--output", type=Path, default=ARTEFACT_PATH)
    arguments = parser.parse_args()
    started = time.perf_counter()
    path = train(arguments.output)
    print(
        f"triage model -> {path} ({path.stat().st_size / 1e6:.2f} MB, {time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
