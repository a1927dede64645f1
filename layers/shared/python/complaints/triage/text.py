"""Language detection, normalisation and the features the linear models read.

Training (training/train.py) hands these very functions to scikit-learn as the vectoriser's analyser,
so the runtime reads a text exactly as the model was trained to: one tokenisation, no copy to drift.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Language = Literal["zh-CN", "en"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_WHITESPACE = re.compile(r"\s+")
# English words: letters with inner apostrophes ("don't"); CFPB's redactions (XXXX, XX/XX/XXXX) are noise.
_ENGLISH_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_REDACTION = re.compile(r"^x{2,}$")
# Chinese comments share one alphabet of characters; n-grams over them need no word segmenter.
CHAR_NGRAM_RANGE = (1, 2)
ENGLISH_CHAR_NGRAM_RANGE = (3, 5)


def detect_language(text: str) -> Language:
    """zh-CN when Han characters make up at least a fifth of the letters (a Chinese complaint quotes card
    names, "APP" or "ETC" in Latin letters; an English one seldom carries a Han character)."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if han == 0:
        return "en"
    # A Han character carries about a word, an English word about five letters.
    return "zh-CN" if han * 5 >= latin else "en"


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case, runs of white space as one space."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def english_words(text: str) -> list[str]:
    """Lower-case words of an English text, CFPB's XXXX redactions left out."""
    return [word for word in _ENGLISH_WORD.findall(normalise(text)) if not _REDACTION.match(word)]


def english_char_features(text: str) -> list[str]:
    """Character 3–5-grams inside each word, padded with a space at both ends (scikit-learn's char_wb):
    what the product model reads. Sturdier than whole words on a few hundred complaints ("loans",
    "loaned" and "loan" share "loan")."""
    low, high = ENGLISH_CHAR_NGRAM_RANGE
    grams: list[str] = []
    for word in english_words(text):
        padded = f" {word} "
        for size in range(low, high + 1):
            grams.extend(padded[start : start + size] for start in range(len(padded) - size + 1))
    return grams


def chinese_char_features(text: str) -> list[str]:
    """Character 1–2-grams of the normalised text (spaces dropped: Chinese comments space at random);
    the range was chosen by 5-fold cross-validation on the training 70 % (docs/triage.md)."""
    compact = normalise(text).replace(" ", "")
    low, high = CHAR_NGRAM_RANGE
    return [
        compact[start : start + size]
        for size in range(low, high + 1)
        for start in range(len(compact) - size + 1)
    ]
