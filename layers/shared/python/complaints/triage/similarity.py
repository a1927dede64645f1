"""How alike two complaint descriptions are: the cosine of their character-trigram counts, after
normalising case, width and spacing. Trigrams need no word segmentation, so Chinese and English are
compared alike, and they survive the retelling of one matter at two channels (the counter's note and
the hotline's transcript share the account, the amount, the merchant)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

_SPACES = re.compile(r"\s+")
_GRAM = 3


def _grams(text: str) -> Counter[str]:
    folded = _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return Counter(folded[i : i + _GRAM] for i in range(max(len(folded) - _GRAM + 1, 1)))


def similarity(first: str, second: str) -> float:
    """0 (nothing in common) to 1 (the same text), rounded to 3 places."""
    a, b = _grams(first), _grams(second)
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    norm = math.sqrt(sum(c * c for c in a.values())) * math.sqrt(sum(c * c for c in b.values()))
    return round(dot / norm, 3) if norm else 0.0
