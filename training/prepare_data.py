"""Copy the public training data from /work/shared into training/data (run once by hand; the copies are
committed so that CI, which has no /work/shared, trains the same model).

    python -m training.prepare_data --cfpb /work/shared/data/cfpb/complaints_sample.csv \
        --zh-dev /work/shared/data/zh-bank-comments/dev.csv
"""

from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CFPB_COPY = DATA_DIR / "cfpb_narratives.csv"
ZH_SENTIMENT_COPY = DATA_DIR / "zh_bank_comments_dev.csv"
NARRATIVE = "Consumer complaint narrative"
# Only what training, the evaluation and the labelling sample need: no company, state or ZIP code.
CFPB_COLUMNS = [
    "Complaint ID",
    "Date received",
    "Product",
    "Sub-product",
    "Issue",
    "Sub-issue",
    "Tags",
    NARRATIVE,
]


def copy_cfpb(source: Path, target: Path = CFPB_COPY) -> int:
    """The rows that carry a narrative, in the columns above; returns how many were written."""
    with (
        source.open(encoding="utf-8", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        writer = csv.DictWriter(dst, fieldnames=CFPB_COLUMNS)
        writer.writeheader()
        written = 0
        for row in csv.DictReader(src):
            if row[NARRATIVE].strip():
                writer.writerow({column: row[column] for column in CFPB_COLUMNS})
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cfpb", type=Path, required=True)
    parser.add_argument("--zh-dev", type=Path, required=True)
    arguments = parser.parse_args()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    print(f"{copy_cfpb(arguments.cfpb)} CFPB narratives -> {CFPB_COPY}")
    shutil.copyfile(arguments.zh_dev, ZH_SENTIMENT_COPY)
    print(f"zh bank comments (dev half) -> {ZH_SENTIMENT_COPY}")


if __name__ == "__main__":
    main()
