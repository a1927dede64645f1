"""Draw the risk-flag labelling samples from the committed real data (see training/LABELLING.md).

Writes the records with empty `flags`, for a person to label by reading; the labelled records are
training/data/risk_flags_labelled.jsonl. Seeded: the same data gives the same samples. Each later round
was drawn after the rules were revised on the earlier rounds' errors, to measure them on unseen texts.

    python -m training.draw_labelling_sample --round 1 > /tmp/risk_flags_to_label.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from training.prepare_data import CFPB_COPY, NARRATIVE, ZH_SENTIMENT_COPY

CfpbRow = dict[str, str]


@dataclass(frozen=True)
class Round:
    seed: int
    cfpb_random: int
    zh_random: int
    # Enrichment by the CFPB's own fields, independent of the flag lexicon: (name, predicate, how many).
    cfpb_enriched: tuple[tuple[str, Callable[[CfpbRow], bool], int], ...]
    suffix: str


def _legal_action(row: CfpbRow) -> bool:
    return row["Issue"] in {
        "Took or threatened to take negative or legal action",
        "Taking/threatening an illegal action",
    }


def _hardship(row: CfpbRow) -> bool:
    return row["Issue"].startswith("Struggling to") or "financial hardship" in row["Issue"].lower()


def _sued_or_legal(row: CfpbRow) -> bool:
    return _legal_action(row) or "sue" in row["Sub-issue"].lower().split()


def _identity_theft_or_fraud(row: CfpbRow) -> bool:
    fields = f"{row['Issue']} {row['Sub-issue']}".lower()
    return "identity theft" in fields or "fraud" in fields


def _charging_or_unauthorized(row: CfpbRow) -> bool:
    return row["Issue"] in {
        "Unauthorized transactions or other transaction problem",
        "Problem with a lender or other company charging your account",
        "Lost or stolen money order",
    }


def _public_record_or_bankruptcy(row: CfpbRow) -> bool:
    fields = f"{row['Issue']} {row['Sub-issue']}".lower()
    return "public record" in fields or "bankruptcy" in fields


def _purchase_not_made(row: CfpbRow) -> bool:
    """A card charged for a purchase the customer says they did not make (the fraud enrichment left)."""
    return row["Sub-issue"] in {
        "Card was charged for something you did not purchase with the card",
        "Charged for a purchase or transfer you did not make with the card",
    }


def _crime_or_arbitration(row: CfpbRow) -> bool:
    """A collector saying not paying is a crime, or a card company forcing arbitration (legal steps)."""
    return row["Sub-issue"] in {
        "Indicated you were committing crime by not paying debt",
        "Credit card company forcing arbitration",
    }


# The CFPB-field enrichments of round 6, asked for again by the later rounds (with two more from round 7).
_ROUND_6_ENRICHMENTS: tuple[tuple[str, Callable[[CfpbRow], bool], int], ...] = (
    ("public-record-or-bankruptcy-issue", _public_record_or_bankruptcy, 12),
    ("legal-action-or-sue-issue", _sued_or_legal, 10),
    ("hardship-issue", _hardship, 12),
    ("older-american-tag", lambda row: "Older American" in row["Tags"], 12),
    ("servicemember-tag", lambda row: "Servicemember" in row["Tags"], 8),
    ("identity-theft-or-fraud-issue", _identity_theft_or_fraud, 10),
    ("charging-or-unauthorized-issue", _charging_or_unauthorized, 6),
)
_ROUND_7_ENRICHMENTS = (
    *_ROUND_6_ENRICHMENTS,
    ("purchase-not-made-sub-issue", _purchase_not_made, 10),
    ("crime-or-arbitration-sub-issue", _crime_or_arbitration, 4),
)


def _after_the_pools_ran_dry(number: int, cfpb_random: int) -> Round:
    """A round drawn once the CFPB-field enrichment pools were empty but for servicemember tags."""
    return Round(
        seed=20261200 + number,
        cfpb_random=cfpb_random,
        zh_random=40,
        cfpb_enriched=_ROUND_7_ENRICHMENTS,
        suffix=f"-{number}",
    )


ROUNDS = {
    1: Round(
        seed=20261201,
        cfpb_random=110,
        zh_random=160,
        cfpb_enriched=(
            ("fraud-or-scam-issue", lambda row: row["Issue"] == "Fraud or scam", 10),
            ("identity-theft-sub-issue", lambda row: "identity theft" in row["Sub-issue"].lower(), 20),
            ("identity-theft-issue", lambda row: "identity theft" in row["Issue"].lower(), 8),
            ("older-american-tag", lambda row: "Older American" in row["Tags"], 20),
            ("servicemember-tag", lambda row: "Servicemember" in row["Tags"], 10),
        ),
        suffix="",
    ),
    2: Round(
        seed=20261202,
        cfpb_random=50,
        zh_random=40,
        cfpb_enriched=(
            ("legal-action-issue", _legal_action, 15),
            ("older-american-tag", lambda row: "Older American" in row["Tags"], 12),
        ),
        suffix="-2",
    ),
    3: Round(
        seed=20261203,
        cfpb_random=45,
        zh_random=20,
        cfpb_enriched=(
            ("legal-action-issue", _legal_action, 8),
            ("older-american-tag", lambda row: "Older American" in row["Tags"], 10),
        ),
        suffix="-3",
    ),
    # Drawn after the rules' fourth revision (v4), to measure v4 on texts it was never adjusted to.
    4: Round(
        seed=20261204,
        cfpb_random=35,
        zh_random=40,
        cfpb_enriched=(
            ("hardship-issue", _hardship, 16),
            ("legal-action-or-sue-issue", _sued_or_legal, 10),
            ("older-american-tag", lambda row: "Older American" in row["Tags"], 10),
            ("servicemember-tag", lambda row: "Servicemember" in row["Tags"], 8),
            ("identity-theft-or-fraud-issue", _identity_theft_or_fraud, 8),
            ("bankruptcy-issue", lambda row: "bankruptcy" in f"{row['Issue']} {row['Sub-issue']}".lower(), 4),
        ),
        suffix="-4",
    ),
    # Drawn after the rules' fifth revision (v5) was frozen, to measure v5 on texts it was never adjusted to.
    5: Round(
        seed=20261205,
        cfpb_random=50,
        zh_random=50,
        cfpb_enriched=(
            ("hardship-issue", _hardship, 15),
            ("legal-action-or-sue-issue", _sued_or_legal, 12),
            ("older-american-tag", lambda row: "Older American" in row["Tags"], 12),
            ("servicemember-tag", lambda row: "Servicemember" in row["Tags"], 8),
            ("identity-theft-or-fraud-issue", _identity_theft_or_fraud, 10),
            ("bankruptcy-issue", lambda row: "bankruptcy" in f"{row['Issue']} {row['Sub-issue']}".lower(), 3),
            ("charging-or-unauthorized-issue", _charging_or_unauthorized, 6),
        ),
        suffix="-5",
    ),
    # Drawn after the rules' sixth revision (v6) was frozen. Public records and bankruptcies on credit
    # reports bring courts, judgments and lawyers named in passing, the litigation look-alikes v6 is about.
    6: Round(
        seed=20261206,
        cfpb_random=68,
        zh_random=40,
        cfpb_enriched=_ROUND_6_ENRICHMENTS,
        suffix="-6",
    ),
    # Drawn after the rules' sixth revision (v6) was scored on round 6 and the confirmer retrained (revision
    # 7 of the model), the rules unchanged. Round 6's enrichments are asked for again, but only hardship (3)
    # and servicemember texts are left; two Sub-issue enrichments of the CFPB's own fields take the place of
    # the exhausted fraud and legal-action ones, and the random part is enlarged to keep 150 texts.
    7: Round(
        seed=20261207,
        cfpb_random=88,
        zh_random=40,
        cfpb_enriched=_ROUND_7_ENRICHMENTS,
        suffix="-7",
    ),
    # Rounds 8 on: drawn after each revision was frozen (v7, v8, v10, v11: docs/triage.md), to measure it on
    # texts it was never adjusted to. Round 7's enrichments are asked for again, but only servicemember
    # texts are left (every other pool is empty after round 7), so the random part makes up the round.
    8: _after_the_pools_ran_dry(8, cfpb_random=102),
    9: _after_the_pools_ran_dry(9, cfpb_random=102),
    10: _after_the_pools_ran_dry(10, cfpb_random=110),
    11: _after_the_pools_ran_dry(11, cfpb_random=110),
    12: _after_the_pools_ran_dry(12, cfpb_random=110),
    13: _after_the_pools_ran_dry(13, cfpb_random=110),
    14: _after_the_pools_ran_dry(14, cfpb_random=110),
}


def draw(round_number: int) -> list[dict[str, object]]:
    """The round's records; a later round leaves out every text an earlier one drew."""
    return draw_rounds(round_number)[round_number]


def draw_rounds(last: int) -> dict[int, list[dict[str, object]]]:
    """Rounds 1..last, each drawn once, in order, from what the rounds before it left."""
    with CFPB_COPY.open(encoding="utf-8", newline="") as handle:
        cfpb_rows = list(csv.DictReader(handle))
    with ZH_SENTIMENT_COPY.open(encoding="utf-8", newline="") as handle:
        comments = list(csv.DictReader(handle))
    taken_cfpb: set[str] = set()
    taken_zh: set[int] = set()
    rounds: dict[int, list[dict[str, object]]] = {}
    for number in range(1, last + 1):
        rounds[number] = list(_draw_one(ROUNDS[number], cfpb_rows, comments, taken_cfpb, taken_zh))
    return rounds


def _draw_one(
    settings: Round,
    cfpb_rows: list[CfpbRow],
    comments: list[dict[str, str]],
    taken_cfpb: set[str],
    taken_zh: set[int],
) -> Iterator[dict[str, object]]:
    """One round's records; marks what it draws as taken."""
    rng = random.Random(settings.seed)
    cfpb = [row for row in cfpb_rows if row["Complaint ID"] not in taken_cfpb]
    for row in rng.sample(cfpb, settings.cfpb_random):
        taken_cfpb.add(row["Complaint ID"])
        yield _cfpb_record(row, f"cfpb-random{settings.suffix}")
    for name, wanted, count in settings.cfpb_enriched:
        pool = [row for row in cfpb if wanted(row) and row["Complaint ID"] not in taken_cfpb]
        for row in rng.sample(pool, min(count, len(pool))):
            taken_cfpb.add(row["Complaint ID"])
            yield _cfpb_record(row, f"cfpb-{name}{settings.suffix}")
    free = [index for index in range(len(comments)) if index not in taken_zh]
    for index in sorted(rng.sample(free, settings.zh_random)):
        taken_zh.add(index)
        yield {
            "id": f"zh-dev-{index}",
            "source": f"zh-bank-comments-random{settings.suffix}",
            "language": "zh-CN",
            "text": comments[index]["text"],
            "flags": [],
        }


def _cfpb_record(row: CfpbRow, source: str) -> dict[str, object]:
    return {
        "id": f"cfpb-{row['Complaint ID']}",
        "source": source,
        "language": "en",
        "text": row[NARRATIVE],
        "flags": [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Draw a risk-flag labelling sample.")
    parser.add_argument("--round", type=int, choices=sorted(ROUNDS), default=1)
    arguments = parser.parse_args()
    for record in draw(arguments.round):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
