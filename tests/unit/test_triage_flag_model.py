"""The learned litigation confirmer (revision 7): the windows it reads, the pure-Python arithmetic against
scikit-learn's, how analysis applies it, and the fallback to the rules when the artefact has none."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from complaints.triage.analysis import analyse, confirmed_flags, flags_of
from complaints.triage.flags import hit_windows, risk_flags
from complaints.triage.linear import LinearTextModel
from complaints.triage.model import (
    ARTEFACT_PATH,
    CONFIRMED_CLASS,
    CONFIRMER_SECTIONS,
    HitConfirmer,
    TriageModel,
    load_model,
)
from training.train import (
    CONFIRMER_THRESHOLD,
    CONFIRMER_WINDOW,
    confirmer_section,
    fit_hit_confirmer,
    hit_confirmer,
    read_labelled_flags,
    train,
)

# A court in passing the rules still raise (since v7 they exclude "the court does not furnish ... to the
# bureaus" themselves): the stub confirmer turns it down for "bureaus" in its window.
IN_PASSING = "The credit bureaus say this record came from the county court."
IN_DISPUTE = "My lawyer says we will sue them in small claims court if the charges are not reversed."


@pytest.fixture(scope="module")
def shipped() -> TriageModel:
    if not ARTEFACT_PATH.exists():
        train(ARTEFACT_PATH)
    return load_model()


def _stub_confirmer(threshold: float = 0.5) -> HitConfirmer:
    """P(confirmed) 0.88 for a hit, 0.05 when "bureaus" stands in its window."""
    classifier = LinearTextModel(
        classes=(CONFIRMED_CLASS, "in_passing"),
        features=lambda text: [],
        vocabulary={"w:bureaus": [1.0, 5.0]},
        intercepts=(-2.0,),
    )
    return HitConfirmer("litigation", classifier, width=8, threshold=threshold)


def test_hit_windows_read_the_words_around_each_hit() -> None:
    windows = hit_windows("litigation", "Yesterday my lawyer sent them a letter.", 2)
    assert len(windows) == 1
    terms, kept = windows[0]
    assert kept
    assert "h:lawyer" in terms
    assert {"w:yesterday", "w:my", "w:sent", "w:them"} <= set(terms)
    assert {"my <H>", "<H> sent", "yesterday my", "sent them"} <= set(terms)


def test_hits_the_rules_exclude_are_windows_not_kept() -> None:
    text = "They added attorney fees to the loan. I will sue them."
    windows = hit_windows("litigation", text, 4)
    assert [(terms[-1], kept) for terms, kept in windows] == [("h:attorney", False), ("h:sue", True)]
    # The rules themselves are unchanged: the sue still raises litigation.
    assert "litigation" in risk_flags(text, "en")


def test_the_confirmer_takes_the_best_kept_hit() -> None:
    confirmer = _stub_confirmer()
    assert confirmer.score(IN_PASSING) == pytest.approx(1 / (1 + 2.718281828**3), abs=1e-6)
    assert not confirmer.confirms(IN_PASSING)
    assert confirmer.confirms(IN_DISPUTE)
    # No hit the rules keep: nothing to confirm.
    assert confirmer.score("They added attorney fees to the loan.") == 0.0
    # The best kept hit decides: a court in passing beside a real lawsuit still confirms.
    assert confirmer.confirms(IN_PASSING + " " + IN_DISPUTE)


def test_confirmed_flags_drop_an_unconfirmed_english_flag_only() -> None:
    confirmers = {"litigation": _stub_confirmer()}
    text = IN_PASSING + " I also filed a complaint with the CFPB."
    assert risk_flags(text, "en") == ("regulator", "litigation")
    assert confirmed_flags(risk_flags(text, "en"), text, "en", confirmers) == ("regulator",)
    assert confirmed_flags(("litigation",), IN_DISPUTE, "en", confirmers) == ("litigation",)
    # Chinese text keeps the rules, and so does a model without confirmers.
    assert confirmed_flags(("litigation",), IN_PASSING, "zh-CN", confirmers) == ("litigation",)
    assert confirmed_flags(("litigation",), IN_PASSING, "en", {}) == ("litigation",)


def test_runtime_confirmer_probabilities_equal_sklearns() -> None:
    records = read_labelled_flags()
    training = [record for record in records if record.round != 6]
    fitted = fit_hit_confirmer(training, "litigation")
    runtime = hit_confirmer(training, "litigation")
    windows = [
        terms
        for record in records
        if record.round == 6 and record.language == "en"
        for terms, _ in hit_windows("litigation", record.text, CONFIRMER_WINDOW)
    ]
    assert windows
    column = list(fitted.classifier.classes_).index(CONFIRMED_CLASS)
    expected = fitted.classifier.predict_proba(fitted.vectorizer.transform(windows))[:, column]
    for terms, probability in zip(windows, expected, strict=True):
        assert runtime.classifier.term_probabilities(terms)[CONFIRMED_CLASS] == pytest.approx(
            float(probability), abs=1e-3
        )
    assert runtime.width == CONFIRMER_WINDOW
    assert runtime.threshold == CONFIRMER_THRESHOLD


def test_the_confirmer_section_is_deterministic() -> None:
    records = read_labelled_flags()
    assert confirmer_section(records, "litigation") == confirmer_section(records, "litigation")


def test_the_shipped_artefact_carries_the_litigation_confirmer(shipped: TriageModel) -> None:
    assert set(shipped.confirmers) == set(CONFIRMER_SECTIONS) == {"litigation"}
    assert "litigation" in analyse(IN_DISPUTE, model=shipped).risk_flags
    # Chinese text is left to the rules.
    assert "litigation" in analyse("再不处理我就找律师起诉你们", model=shipped).risk_flags


def test_an_artefact_without_confirmers_loads_and_gives_the_rules(
    shipped: TriageModel, tmp_path: Path
) -> None:
    with gzip.open(ARTEFACT_PATH, "rt", encoding="utf-8") as handle:
        artefact = json.load(handle)
    for section in CONFIRMER_SECTIONS.values():
        artefact.pop(section)
    old = tmp_path / "old.json.gz"
    with gzip.open(old, "wt", encoding="utf-8") as handle:
        json.dump(artefact, handle)
    model = load_model(old)
    assert model.confirmers == {}
    for text in (IN_PASSING, IN_DISPUTE, "I will report you to the CFPB and my lawyer."):
        assert flags_of(text, "en", model) == risk_flags(text, "en")
        assert analyse(text, "en", model).risk_flags == risk_flags(text, "en")
