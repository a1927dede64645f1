"""The staff console's security headers, one definition for CloudFront (constructs/console.py) and the
local runtime (infra/local/console.py): a content policy with no inline script or style, no eval and no
third-party origin but the Cognito hosted UI's token endpoint, which the browser calls itself."""

from __future__ import annotations

# The app's files, config.json and (through the same origin) the API: 'self'. `connect_src` adds the
# Cognito domain where sign-in trades its code and refreshes tokens.
_DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)


def content_security_policy(*connect_src: str) -> str:
    directives = [*_DIRECTIVES, ("connect-src", " ".join(("'self'", *connect_src)))]
    return "; ".join(f"{name} {value}" for name, value in directives)


HSTS_SECONDS = 2 * 365 * 24 * 3600
REFERRER_POLICY = "no-referrer"
"""Nothing of a complaint's URL (its id) leaves with a link the viewer follows."""
