"""How large a request body each path of the API takes: read by the WAF (constructs/firewall.py) and by
the local runtime's stand-in for it (infra/local/gateway.py), so both refuse the same requests with
the same answer (docs/architecture.md §5, "Sizes"). Plain Python: the local runtime imports it
without the CDK.

Sizes are bytes on the wire. A JSON body may escape every non-ASCII character (`\\uXXXX`, as Python's
json.dumps does by default): 6 bytes a Chinese character. A form post of the tracking page is
percent-encoded UTF-8: 9 bytes a Chinese character.

- Intake (`POST …/v1/complaints`) has no size rule. Its description (up to 50,000 characters) is up to
  300,000 bytes escaped, and the WAF sees at most the first 64 KB of a body on API Gateway: a larger
  body is "oversize", and a size rule can only let every oversize body through (what the size would be
  is unknown to it) or refuse every one (which refuses every description over about 10,000 Chinese
  characters). So intake bodies reach the api function (API Gateway takes up to 10 MB, Lambda 6 MB),
  whose model refuses any field over its limit with a 400 naming it.
- The tracking link and page (public) take at most 24 KiB: the longest is the page's rating form, a
  2,000-character comment percent-encoded (18,000 bytes) with its rating.
- Every other body takes at most 48 KiB: the longest is a resolution (summary 5,000, root cause 200,
  redress description 1,000 characters: 37,200 bytes escaped).

Both limits are under what the WAF inspects (`INSPECTED_BODY`), so the WAF measures every body it
refuses or lets through up to its limit, and treats a larger one as over (oversize handling MATCH).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# What the WAF reads of a body on API Gateway (its AssociationConfig; 16 KB unless raised, 64 KB at
# most). 64 KB: the size rules judge every body they apply to, and the managed rule groups read the
# first 64 KB of a long complaint rather than 16.
INSPECTED_BODY = "KB_64"
INSPECTED_BODY_BYTES = 64 * 1024

# The answer to a refused body, in the API's error shape (functions/api/resolver.py ErrorBody).
REFUSED_STATUS = 403
REFUSED_CODE = "body_too_large"


@dataclass(frozen=True)
class BodyLimit:
    """One size rule: a body over `max_bytes` on a request it applies to is refused."""

    name: str  # the WAF rule's name, its metric, and the key of its response body
    max_bytes: int
    # It applies to requests whose URI path contains one of these (none: every request) …
    paths_containing: tuple[str, ...]
    # … but not to a POST whose path ends with this (intake: see the module docstring).
    except_post_to: str | None
    what_to_shorten: str

    def applies(self, method: str, path: str) -> bool:
        if self.paths_containing and not any(part in path for part in self.paths_containing):
            return False
        return not (self.except_post_to and method == "POST" and path.endswith(self.except_post_to))

    def refuses(self, method: str, path: str, body_bytes: int) -> bool:
        return self.applies(method, path) and body_bytes > self.max_bytes

    def response_body(self) -> str:
        """The JSON the WAF (and the local runtime) answers with when this rule refuses a body."""
        message = (
            f"the request body is over {self.max_bytes} bytes, the most this request takes: "
            f"{self.what_to_shorten}"
        )
        return json.dumps({"error": REFUSED_CODE, "message": message, "details": []})


INTAKE_PATH = "/v1/complaints"

TRACKING = BodyLimit(
    name="TrackingBodySize",
    max_bytes=24 * 1024,
    # The API's own paths (`/v1/track/…`) and the page's (`/t/…`), with or without the stage in front.
    paths_containing=("/v1/track/", "/t/"),
    except_post_to=None,
    what_to_shorten="shorten the comment or the reason",
)
EVERY_OTHER = BodyLimit(
    name="BodySize",
    max_bytes=48 * 1024,
    paths_containing=(),
    except_post_to=INTAKE_PATH,
    what_to_shorten="shorten its texts",
)

# In the order the WAF evaluates them: the first that refuses a body answers.
BODY_LIMITS: tuple[BodyLimit, ...] = (TRACKING, EVERY_OTHER)


def refusing(method: str, path: str, body_bytes: int) -> BodyLimit | None:
    """The rule that refuses this request's body, if any (`path`: the URI path as sent, no query)."""
    return next((limit for limit in BODY_LIMITS if limit.refuses(method, path, body_bytes)), None)
