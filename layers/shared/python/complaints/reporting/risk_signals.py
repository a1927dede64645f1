"""Risk signals in a complaint's own words (docs/architecture.md §7): the customer mentions a regulator, legal
action or the media. Such a complaint can turn into a regulatory case, a lawsuit or a headline, so the
quarterly report lists every one of them for management.

Matching is deliberately plain — whole words, case-insensitive, for English; substrings for Chinese,
which has no spaces — so a compliance officer can read the lists below and know exactly why a complaint
was flagged. A flag is a prompt to look, not a finding.
"""

from __future__ import annotations

import re
from enum import StrEnum


class RiskSignal(StrEnum):
    REGULATORY = "regulatory"
    LEGAL = "legal"
    MEDIA = "media"


_ENGLISH: dict[RiskSignal, tuple[str, ...]] = {
    RiskSignal.REGULATORY: (
        "regulator",
        "regulators",
        "regulatory",
        "cfpb",
        "consumer financial protection bureau",
        "ombudsman",
        "financial ombudsman",
        "fca",
        "occ",
        "fdic",
        "federal reserve",
        "attorney general",
        "banking commission",
        "nfra",
        "cbirc",
        "pboc",
        "file a complaint with",
        "report you to",
    ),
    RiskSignal.LEGAL: (
        "lawyer",
        "lawyers",
        "attorney",
        "attorneys",
        "lawsuit",
        "lawsuits",
        "sue",
        "suing",
        "court",
        "litigation",
        "legal action",
        "class action",
        "arbitration",
        "solicitor",
    ),
    RiskSignal.MEDIA: (
        "media",
        "journalist",
        "journalists",
        "newspaper",
        "reporter",
        "television",
        "tv station",
        "social media",
        "twitter",
        "facebook",
        "tiktok",
        "go public",
        "going public",
    ),
}

_CHINESE: dict[RiskSignal, tuple[str, ...]] = {
    RiskSignal.REGULATORY: (
        "监管",
        "银保监",
        "金融监管总局",
        "人民银行",
        "人行",
        "12378",
        "12363",
        "消保",
        "投诉到",
        "举报",
        "信访",
    ),
    RiskSignal.LEGAL: ("律师", "起诉", "诉讼", "法院", "仲裁", "法律途径", "打官司"),
    RiskSignal.MEDIA: ("媒体", "记者", "曝光", "报社", "电视台", "微博", "抖音", "网上发布"),
}


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


_PATTERNS = {signal: _pattern(words) for signal, words in _ENGLISH.items()}


def risk_signals(text: str) -> dict[RiskSignal, list[str]]:
    """The signals in `text`, each with the words that raised it (lower-case, first occurrence order)."""
    found: dict[RiskSignal, list[str]] = {}
    for signal in RiskSignal:
        words = [match.group(0).lower() for match in _PATTERNS[signal].finditer(text)]
        words += [word for word in _CHINESE[signal] if word in text]
        if words:
            found[signal] = list(dict.fromkeys(words))
    return found
