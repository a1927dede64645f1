"""The template engine and the typed catalogue of page texts: both languages say everything, and a hostile
value is escaped by the engine in every HTML the system writes (here the customer e-mail and the engine
itself; the tracking page and the report page have theirs next to their fixtures, in test_tracking.py and
test_report.py)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import Markup

from complaints import rendering
from complaints.core.models import (
    Channel,
    Complaint,
    Complexity,
    Customer,
    Language,
    Outcome,
    Priority,
    Product,
    SlaPolicyName,
    Status,
)
from complaints.notifications import templates as messages
from complaints.rendering.texts import TRACKING, TrackingTexts, problems
from complaints.sla.policies import compute_deadlines
from complaints.tracking.service import TimelineKind

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
# the template engine (markupsafe) writes a quote as `&#34;`
HOSTILE_ESCAPED = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


# --- the catalogue --------------------------------------------------------------------------------


def test_the_catalogue_is_complete_in_both_languages() -> None:
    assert set(TRACKING) == set(Language) == {Language.ZH_CN, Language.EN}
    assert problems() == []
    for texts in TRACKING.values():
        assert set(texts.events) == set(TimelineKind)
        assert len(texts.ratings) == 5


def test_the_check_finds_a_missing_language_an_empty_text_and_a_dropped_placeholder() -> None:
    english = TRACKING[Language.EN]
    broken = dataclasses.replace(
        english,
        title=" ",
        answered="answered",  # the {at} is gone
        events={kind: text for kind, text in english.events.items() if kind is not TimelineKind.CLOSED},
    )
    found = problems({Language.EN: broken})
    assert "zh-CN: missing" in found
    found = problems({Language.ZH_CN: TRACKING[Language.ZH_CN], Language.EN: broken})
    assert "en.title: empty" in found
    assert "en.answered: placeholders differ from zh-CN" in found
    assert "en.events.closed: missing" in found


def test_a_language_without_a_text_does_not_even_construct() -> None:
    with pytest.raises(TypeError):
        TrackingTexts(title="only a title")  # type: ignore[call-arg]


# --- the engine -----------------------------------------------------------------------------------


def test_the_engine_escapes_html_templates_and_strings_but_not_text_templates() -> None:
    env = rendering.environment()
    assert env is rendering.environment()  # one cached environment
    assert env.from_string("{{ v }}").render(v=HOSTILE) == HOSTILE_ESCAPED
    autoescape = env.autoescape
    assert callable(autoescape)
    assert autoescape("page.html") and autoescape("chart.svg") and autoescape(None)
    assert not autoescape("message.txt")


def test_an_unknown_variable_fails_the_render_instead_of_vanishing() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        rendering.environment().from_string("<p>{{ missing }}</p>").render()


def test_fill_escapes_the_text_and_its_values_but_keeps_markup() -> None:
    filled = rendering.fill("<b>{at}</b> {who}", at=Markup("<time>t</time>"), who=HOSTILE)
    assert filled == f"&lt;b&gt;<time>t</time>&lt;/b&gt; {HOSTILE_ESCAPED}"


def test_every_html_template_ships_in_the_package() -> None:
    folder = Path(rendering.__file__).parent
    names = {path.relative_to(folder).as_posix() for path in folder.rglob("*.html")}
    assert {
        "tracking/base.html",
        "tracking/page.html",
        "tracking/invalid.html",
        "tracking/busy.html",
        "reporting/report.html",
        "reporting/email.html",
        "notifications/customer_email.html",
    } <= names
    for name in names:  # no template writes a script of its own
        assert "<script" not in (folder / name).read_text(encoding="utf-8")


# --- the customer e-mail --------------------------------------------------------------------------


def _complaint(language: Language) -> Complaint:
    policy = SlaPolicyName.SEED
    return Complaint.model_validate(
        {
            "id": "0b9c7c1e-5f6a-4d7e-9a51-2b8f3c4d5e6f",
            "reference": "CG-260302-7K3Q9X",
            "status": Status.RECEIVED,
            "channel": Channel.COUNTER,
            "category": "service",
            "product": Product.DEPOSIT,
            "priority": Priority.NORMAL,
            "complexity": Complexity.SIMPLE,
            "customer": Customer(
                customer_id="C-1",
                name=HOSTILE,
                phone="+8613912345678",
                email="zhang.wei@example.com",
                preferred_contact=["email"],
                language=language,
            ),
            "description": HOSTILE,
            "received_at": T0,
            "created_at": T0,
            "updated_at": T0,
            "sla_policy": policy,
            "deadlines": compute_deadlines(policy, T0, Priority.NORMAL, Complexity.SIMPLE, Product.DEPOSIT),
            "submitted_by": "counter-app",
        }
    )


@pytest.mark.parametrize("language", list(Language))
def test_hostile_values_are_escaped_in_the_customer_email_html(language: Language) -> None:
    brand = messages.Brand(name=HOSTILE)
    link = 'https://complaints.example.com/t/x?token=a"b<c'
    complaint = _complaint(language)
    for content in (
        messages.receipt(complaint, brand, link),
        messages.response(complaint, brand, link, HOSTILE),
        messages.resolution(complaint, brand, link, Outcome.UPHELD, HOSTILE),
    ):
        assert "<img" not in content.html and "<script" not in content.html
        assert HOSTILE_ESCAPED in content.html
        assert '<a href="https://complaints.example.com/t/x?token=a&#34;b&lt;c">' in content.html
        assert HOSTILE in content.text  # the plain text says exactly what was typed
