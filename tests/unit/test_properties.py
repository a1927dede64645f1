"""Property tests (hypothesis) for the arithmetic the example tests check only at a few points: the KPI
percentiles, the repeat-complainant tally and the SMS segment fitting. Each oracle is written here from
the rule as documented, not from the implementation."""

from __future__ import annotations

import string
from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.core.models import Language
from complaints.notifications.messages import MessageKind
from complaints.notifications.templates import (
    CUSTOMER_TEMPLATES,
    SMS_MAX_SEGMENTS,
    fit_sms,
    sms_segments,
    sms_units,
)
from complaints.reporting.kpis import CustomerTally, DurationHistogram

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

# --- KPI percentiles ---------------------------------------------------------------------------------

# durations in seconds, up to 90 days: whole and partial minutes alike
durations = st.lists(st.integers(min_value=0, max_value=90 * 24 * 3600), min_size=1, max_size=300)


def histogram_of(seconds: list[int]) -> DurationHistogram:
    histogram = DurationHistogram()
    for duration in seconds:
        histogram.add(START, START + timedelta(seconds=duration))
    return histogram


def whole_minutes(seconds: list[int]) -> list[int]:
    """The durations as the KPIs count them, in whole minutes (a started minute does not count), sorted."""
    return sorted(duration // 60 for duration in seconds)


@given(durations)
def test_the_median_is_the_middle_of_the_sorted_minutes(seconds: list[int]) -> None:
    ordered = whole_minutes(seconds)
    n = len(ordered)
    # the middle element, or the mean of the two middle ones (the same element twice when n is odd)
    expected_minutes = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    assert histogram_of(seconds).median_hours() == expected_minutes / 60


@given(durations)
def test_p90_is_the_nearest_rank_of_the_sorted_minutes(seconds: list[int]) -> None:
    ordered = whole_minutes(seconds)
    n = len(ordered)
    rank = -(-90 * n // 100)  # ceil(0.9 n) in integers: the smallest rank covering 90 % of the list
    assert histogram_of(seconds).percentile_hours(90) == ordered[rank - 1] / 60
    assert sum(minutes <= ordered[rank - 1] for minutes in ordered) * 100 >= 90 * n


@given(durations, st.integers(min_value=1, max_value=100))
def test_every_percentile_is_a_duration_seen_and_they_do_not_decrease(seconds: list[int], p: int) -> None:
    histogram = histogram_of(seconds)
    ordered = whole_minutes(seconds)
    value = histogram.percentile_hours(p)
    assert value is not None and round(value * 60) in ordered
    assert histogram.percentile_hours(100) == ordered[-1] / 60
    assert histogram.percentile_hours(1) == ordered[max(1, -(-len(ordered) // 100)) - 1] / 60
    if p < 100:
        later = histogram.percentile_hours(p + 1)
        assert later is not None and later >= value


def test_no_durations_no_percentiles() -> None:
    assert DurationHistogram().median_hours() is None
    assert DurationHistogram().percentile_hours(90) is None


# --- repeat complainants -----------------------------------------------------------------------------

customer_ids = st.lists(
    st.one_of(st.sampled_from([f"C-{n}" for n in range(12)]), st.text(min_size=1, max_size=12)),
    max_size=200,
)


@settings(max_examples=150)
@given(customer_ids, st.integers(min_value=1, max_value=40))
def test_repeat_complainants_are_the_ids_seen_twice_or_more_whatever_the_spill_size(
    ids: list[str], buffer: int
) -> None:
    tally = CustomerTally(buffer=buffer)
    for customer_id in ids:
        tally.add(customer_id)
    assert tally.repeat == sum(1 for seen in Counter(ids).values() if seen >= 2)
    assert tally.repeat == tally.repeat  # asking again gives the same answer (the runs are merged once)


# --- SMS segments ------------------------------------------------------------------------------------

GSM_BASIC_SAMPLE = string.ascii_letters + string.digits + " .,:;!?()-+@£$"  # GSM 03.38 basic table
GSM_EXTENDED_SAMPLE = "^{}\\[~]|€"  # GSM 03.38 extension table: an escape and the character
NOT_GSM = "张伟您的投诉已收到回复。【】😀ą"  # CJK, CJK punctuation, an emoji (two UTF-16 units), ą


def utf16_units(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def expected_segments(units: int, gsm7: bool) -> int:
    single, concatenated = (160, 153) if gsm7 else (70, 67)
    if units <= single:
        return 1
    return (units + concatenated - 1) // concatenated


@given(st.text(alphabet=GSM_BASIC_SAMPLE, max_size=700), st.text(alphabet=GSM_EXTENDED_SAMPLE, max_size=100))
def test_gsm7_counts_a_septet_per_basic_character_and_two_per_extended(basic: str, extended: str) -> None:
    text = basic + extended
    units = len(basic) + 2 * len(extended)
    assert sms_units(text) == units
    assert sms_segments(text) == expected_segments(units, gsm7=True)


@given(
    st.text(alphabet=GSM_BASIC_SAMPLE + GSM_EXTENDED_SAMPLE, max_size=300),
    st.text(alphabet=NOT_GSM, min_size=1, max_size=200),
)
def test_one_character_outside_gsm7_makes_the_whole_text_ucs2(gsm: str, other: str) -> None:
    text = gsm + other
    units = utf16_units(text)  # every character, extension ones included, is one UTF-16 unit (or two)
    assert sms_units(text) == units
    assert sms_segments(text) == expected_segments(units, gsm7=False)


def test_the_segment_boundaries() -> None:
    assert [sms_segments("a" * n) for n in (1, 160, 161, 306, 307, 459, 460)] == [1, 1, 2, 2, 3, 3, 4]
    assert [sms_segments("张" * n) for n in (1, 70, 71, 134, 135, 201, 202)] == [1, 1, 2, 2, 3, 3, 4]


ELASTIC = [
    (kind, language)
    for kind, by_language in CUSTOMER_TEMPLATES.items()
    for language, template in by_language.items()
    if template.sms_elastic is not None
]
VALUES = {
    Language.EN: {"bank": "Harbour Bank", "reference": "CG-260302-7K3Q9X", "link": "https://t.example/t/abc"},
    Language.ZH_CN: {"bank": "海港银行", "reference": "CG-260302-7K3Q9X", "link": "https://t.example/t/abc"},
}
free_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(GSM_BASIC_SAMPLE + GSM_EXTENDED_SAMPLE + NOT_GSM + "\n\t"),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=800,
)


def filled(kind: MessageKind, language: Language, elastic: str) -> dict[str, str]:
    template = CUSTOMER_TEMPLATES[kind][language]
    assert template.sms_elastic is not None
    fields = {name for _, name, _, _ in string.Formatter().parse(template.sms) if name}
    values = {name: VALUES[language].get(name, "x") for name in fields}
    return {**values, template.sms_elastic: elastic}


def test_every_template_with_an_elastic_text_is_checked() -> None:
    assert {kind for kind, _ in ELASTIC} == {
        MessageKind.RESPONSE,
        MessageKind.RESOLUTION,
        MessageKind.PAUSED,
        MessageKind.REMINDER,
        MessageKind.EXTENDED,
        MessageKind.SOLUTION_PLAN,
    }
    assert len(ELASTIC) == 12


@settings(max_examples=200)
@given(st.sampled_from(ELASTIC), free_text)
def test_a_fitted_sms_never_exceeds_the_segment_limit(
    kind_and_language: tuple[MessageKind, Language], text: str
) -> None:
    kind, language = kind_and_language
    sms = fit_sms(CUSTOMER_TEMPLATES[kind][language], filled(kind, language, text), language)
    assert sms_segments(sms) <= SMS_MAX_SEGMENTS


@given(st.sampled_from(ELASTIC), st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=60))
def test_a_short_text_is_sent_whole(kind_and_language: tuple[MessageKind, Language], text: str) -> None:
    kind, language = kind_and_language
    sms = fit_sms(CUSTOMER_TEMPLATES[kind][language], filled(kind, language, text), language)
    assert " ".join(text.split()) in sms
    assert sms_segments(sms) <= SMS_MAX_SEGMENTS
