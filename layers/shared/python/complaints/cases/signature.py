"""A complaint's text signature for the case library: its most frequent content terms, hashed, with
their weights. Small and fixed in size (`TERMS` terms, 5 bytes each), so a resolved complaint carries
it in the case index and a handler's search compares thousands of them in a request.

Terms: English words of three letters or more that are not function words (nor CFPB-style `XXXX`
redactions or numbers); for Chinese, the character pairs of each run of Han characters (no word
segmenter needed, as for the trigrams of complaints/triage/similarity). Weights are 1 + log(count),
the vector normalised to length 1, so the similarity of two signatures is their dot product (a cosine,
0 to 1). Terms are stored as CRC-32 hashes: the index holds no word of the customer's text in clear."""

from __future__ import annotations

import gc
import math
import re
import sys
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TERMS = 48
_WEIGHT_LEVELS = 255
_ENGLISH_WORD = re.compile(r"[a-z][a-z']{2,}")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Function words, and the words every complaint to a bank uses (they would make every case alike).
_STOPWORDS = frozenset(
    """
    about above after again against all also although among and any are aren't around because been
    before being below between both but can can't cannot could couldn't did didn't does doesn't doing
    don't down during each even ever every few for from further had hadn't has hasn't have haven't
    having her here hers herself him himself his how however i'd i'll i'm i've into isn't it's its
    itself just let's like made make many may more most much must mustn't myself never nor not now off
    once only other our ours ourselves out over own same she she'd she'll she's should shouldn't since
    some still such than that that's the their theirs them themselves then there there's these they
    they'd they'll they're they've this those though through too under until upon very was wasn't
    we'd we'll we're we've were weren't what what's when when's where where's whether which while who
    who's whom why why's will with within without won't would wouldn't yet you you'd you'll you're
    you've your yours yourself yourselves one two three also get got told tell said says asked back
    time times day days month months year years still again already going went called call calls
    bank banks account accounts customer complaint complaints please thank thanks dear regards sincerely
    xxxx xxxxxxxx
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_ZH_STOP_PAIRS = frozenset(
    [
        "我们",
        "你们",
        "他们",
        "这个",
        "那个",
        "一个",
        "没有",
        "就是",
        "但是",
        "因为",
        "所以",
        "现在",
        "已经",
        "银行",
    ]
)


def terms(text: str) -> Counter[str]:
    """The content terms of a text, with their counts."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    found: Counter[str] = Counter(
        word.strip("'") for word in _ENGLISH_WORD.findall(folded) if word.strip("'") not in _STOPWORDS
    )
    for run in _HAN_RUN.findall(folded):
        found.update(
            pair for pair in (run[i : i + 2] for i in range(len(run) - 1)) if pair not in _ZH_STOP_PAIRS
        )
        if len(run) == 1:
            found[run] += 1
    return found


@dataclass(frozen=True)
class Signature:
    """Hashed terms and their weights (unit length)."""

    hashes: tuple[int, ...]
    weights: tuple[float, ...]

    def as_mapping(self) -> dict[int, float]:
        return dict(zip(self.hashes, self.weights, strict=True))

    def __bool__(self) -> bool:
        return bool(self.hashes)


def signature(text: str) -> Signature:
    """The `TERMS` heaviest terms of the text (ties broken by hash, so the same text always gives the
    same signature)."""
    weighted: dict[int, float] = {}
    for term, count in terms(text).items():
        key = zlib.crc32(term.encode())
        weighted[key] = weighted.get(key, 0.0) + 1.0 + math.log(count)
    kept = sorted(weighted.items(), key=lambda item: (-item[1], item[0]))[:TERMS]
    return _normalised([key for key, _ in kept], [weight for _, weight in kept])


def _normalised(hashes: list[int], weights: list[float]) -> Signature:
    norm = math.sqrt(sum(weight * weight for weight in weights))
    if not norm:
        return Signature((), ())
    return Signature(tuple(hashes), tuple(weight / norm for weight in weights))


def encode(sig: Signature) -> bytes:
    """4 bytes per hash (little-endian), then one byte per weight: the unit vector's components in
    255ths, so a stored signature needs no normalising when it is scored."""
    if not sig:
        return b""
    levels = bytes(max(1, min(_WEIGHT_LEVELS, round(weight * _WEIGHT_LEVELS))) for weight in sig.weights)
    packed = array("I", sig.hashes)
    if packed.itemsize != 4:  # pragma: no cover - every platform Lambda and CI run has 4-byte "I"
        raise RuntimeError("unsigned int is not 4 bytes here")
    return _little_endian(packed).tobytes() + levels


def _hashes(data: bytes) -> tuple[array[int], int]:
    count = len(data) // 5
    packed = array("I")
    packed.frombytes(data[: count * 4])
    return _little_endian(packed), count


def decode(data: bytes) -> Signature:
    hashes, count = _hashes(data)
    return Signature(tuple(hashes), tuple(level / _WEIGHT_LEVELS for level in data[count * 4 : count * 5]))


def _little_endian(packed: array[int]) -> array[int]:
    if sys.byteorder == "big":  # pragma: no cover - stored little-endian whatever the machine
        packed = array("I", packed)
        packed.byteswap()
    return packed


def similarity(query: Mapping[int, float], candidate: Signature) -> float:
    """Cosine of two unit signatures: the query as a mapping (made once), the candidate as stored."""
    return sum(
        query.get(key, 0.0) * weight for key, weight in zip(candidate.hashes, candidate.weights, strict=True)
    )


class SharedTerms:
    """Which of a query's terms a stored signature shares, and its weights of them. Only those are
    decoded: a candidate that shares none costs a set intersection in C."""

    def __init__(self, query: Signature) -> None:
        self.query = query.as_mapping()
        self._keys = frozenset(self.query)

    def of(self, data: bytes) -> dict[int, float]:
        hashes, count = _hashes(data)
        shared = self._keys.intersection(hashes)
        levels = data[count * 4 :]
        return {key: levels[hashes.index(key)] / _WEIGHT_LEVELS for key in shared}


def ranked(query: Signature, candidates: Iterable[tuple[str, bytes]]) -> tuple[int, list[tuple[float, str]]]:
    """How many candidates there were, and the score of each that shares a term with the query.

    The score is the cosine of the candidate with the query weighted by each term's rarity among the
    candidates (inverse document frequency, computed from these very candidates: the words every
    complaint of the line uses count for little, what is particular to this one for much)."""
    terms_of = SharedTerms(query)
    shared: list[tuple[str, dict[int, float]]] = []
    frequency: Counter[int] = Counter()
    total = 0
    # Tens of thousands of small dicts that all live to the end: the collector would walk them again
    # and again for nothing (a third of the time at 60 000 candidates). Paused, as at cold start.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for candidate_id, data in candidates:
            total += 1
            weights = terms_of.of(data)
            if weights:
                shared.append((candidate_id, weights))
                frequency.update(weights.keys())
    finally:
        if collecting:
            gc.enable()
    rarity = {key: math.log((total + 1) / (frequency[key] + 1)) + 1.0 for key in terms_of.query}
    weighted = {key: weight * rarity[key] for key, weight in terms_of.query.items()}
    norm = math.sqrt(sum(weight * weight for weight in weighted.values())) or 1.0
    return total, [
        (sum(weighted[key] * weight for key, weight in weights.items()) / norm, candidate_id)
        for candidate_id, weights in shared
    ]
