"""Page tokens are signed: a token changed, forged or from another deployment is refused by name;
one signed before a key rotation still pages."""

from __future__ import annotations

import base64
import json

import pytest

from complaints.adapters.dynamodb.table import PageTokens
from complaints.core.errors import InvalidInput
from complaints.tracking.links import SigningKey


class Ring:
    def __init__(self, current: SigningKey, *previous: SigningKey) -> None:
        self._current, self._previous = current, list(previous)

    def current(self) -> SigningKey:
        return self._current

    def accepted(self) -> list[SigningKey]:
        return [self._current, *self._previous]


OLD = SigningKey("t1", "o" * 48)
NEW = SigningKey("t2", "n" * 48)
STATE = {"f": "query-1", "k": {"pk": {"S": "COMPLAINT#c-1"}}, "h": 36}


def refused(tokens: PageTokens, token: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        tokens.decode(token, "query-1")
    (detail,) = caught.value.details
    assert detail["field"] == "nextToken"
    return str(detail["message"])


def test_a_token_reads_back_as_it_was_issued() -> None:
    tokens = PageTokens(Ring(OLD))
    assert tokens.decode(tokens.encode(STATE), "query-1") == STATE


def test_a_token_whose_state_was_changed_is_refused() -> None:
    tokens = PageTokens(Ring(OLD))
    _, key_id, mac = tokens.encode(STATE).split(".")
    changed = dict(STATE, k={"pk": {"S": "COMPLAINT#someone-elses"}})
    forged_body = base64.urlsafe_b64encode(json.dumps(changed).encode()).decode().rstrip("=")
    assert refused(tokens, f"{forged_body}.{key_id}.{mac}") == "is not a token this API issued"


@pytest.mark.parametrize("token", ["garbage", "", "a.b", "a.t1.", "..."])
def test_a_made_up_token_is_refused(token: str) -> None:
    assert refused(PageTokens(Ring(OLD)), token) == "is not a token this API issued"


def test_a_token_of_another_deployment_is_refused() -> None:
    elsewhere = PageTokens(Ring(SigningKey("t1", "x" * 48))).encode(STATE)
    assert refused(PageTokens(Ring(OLD)), elsewhere) == "is not a token this API issued"


def test_a_token_of_another_query_is_refused() -> None:
    tokens = PageTokens(Ring(OLD))
    token = tokens.encode(dict(STATE, f="query-2"))
    assert "another query" in refused(tokens, token)


def test_a_token_signed_before_a_rotation_still_pages_until_the_old_key_is_dropped() -> None:
    issued = PageTokens(Ring(OLD)).encode(STATE)
    assert PageTokens(Ring(NEW, OLD)).decode(issued, "query-1") == STATE
    assert refused(PageTokens(Ring(NEW)), issued) == "is not a token this API issued"


def test_a_page_token_is_not_a_tracking_link_signature() -> None:
    """The key is derived for page tokens: the MAC differs from a plain HMAC under the ring's key."""
    import hashlib
    import hmac

    body, _, mac = PageTokens(Ring(OLD)).encode(STATE).split(".")
    plain = base64.urlsafe_b64encode(hmac.new(OLD.secret.encode(), body.encode(), hashlib.sha256).digest())
    assert mac != plain.decode().rstrip("=")
