"""Every HTML page and e-mail body the system writes is rendered here, by one Jinja2 environment with
autoescape on: a value from data (a customer's name, a complaint's text, a root cause) is escaped by the
engine, so no page's safety depends on someone remembering `escape()` at a call site. Only a value
wrapped in `markupsafe.Markup` on purpose (a chart's SVG, a macro's output) is written as it is.

The templates live next to this module (`*.html` autoescaped, `*.txt` not) and ship inside the shared
Lambda layer with it. jinja2 is imported when the first page is rendered, not when this package is
imported, so a function that renders no page never pays for it at cold start.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

TEMPLATE_DIR = Path(__file__).parent


def fill(text: str, **values: Any) -> Markup:
    """A catalogue text with `{placeholders}`: the text is escaped, and so is every value that is not
    Markup already (a `<time>` from a macro stays markup, a customer's words do not)."""
    from markupsafe import escape

    return escape(text).format(**values)


@cache
def environment() -> Environment:
    """The one environment: autoescape for HTML (and for any template from a string), StrictUndefined
    so a misspelt variable fails the render instead of vanishing from the page."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "svg"),
            disabled_extensions=("txt",),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["fill"] = fill
    return env


def render(name: str, /, **context: Any) -> str:
    """Render the template `name` (a path relative to this folder) with `context`."""
    return environment().get_template(name).render(**context)
