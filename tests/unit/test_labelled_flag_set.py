"""The hand-labelled risk-flag set is the seeded draw it says it is (training/LABELLING.md): each record's
text, source and language are what `draw_labelling_sample --round N` gives for its round, and no text was
labelled twice. So the set can be redrawn from the committed data, and a round's texts were not picked."""

from __future__ import annotations

import json
from collections import Counter

from training.draw_labelling_sample import ROUNDS, draw_rounds
from training.evaluate import FLAGS_LABELLED


def _labelled() -> list[dict[str, object]]:
    with FLAGS_LABELLED.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_every_labelled_record_is_its_rounds_seeded_draw() -> None:
    labelled = _labelled()
    last = max(int(str(record["round"])) for record in labelled)
    drawn = draw_rounds(last)
    for number in range(1, last + 1):
        expected = {
            str(record["id"]): (record["source"], record["language"], record["text"])
            for record in drawn[number]
        }
        found = {
            str(record["id"]): (record["source"], record["language"], record["text"])
            for record in labelled
            if record["round"] == number
        }
        assert found == expected, f"round {number} differs from its draw"


def test_no_text_is_labelled_twice_and_every_round_is_defined() -> None:
    labelled = _labelled()
    twice = [identifier for identifier, count in Counter(r["id"] for r in labelled).items() if count > 1]
    assert twice == []
    assert {record["round"] for record in labelled} <= set(ROUNDS)
