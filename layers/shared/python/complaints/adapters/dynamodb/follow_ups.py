"""The follow-ups (回访) to call, through the sparse byFollowUp index: by status, soonest due first,
limited to the teams a caller may see (GET /v1/follow-ups)."""

from __future__ import annotations

from typing import Any

from complaints.adapters.dynamodb.table import (
    FOLLOW_UP_DUE_KEY,
    FOLLOW_UP_INDEX,
    FOLLOW_UP_KEY,
    FOLLOW_UP_TEAM,
    MAX_QUERIES_PER_PAGE,
    ComplaintsTable,
    marshal,
)
from complaints.core.models import Complaint, FollowUpStatus
from complaints.core.paging import Page


class DynamoDbFollowUpStore(ComplaintsTable):
    def list_follow_ups(
        self,
        status: FollowUpStatus,
        teams: frozenset[str] | None,
        assignee: str | None,
        limit: int,
        next_token: str | None,
    ) -> Page[Complaint]:
        """One page of the complaints whose follow-up has `status`, soonest due first; `teams` None:
        every team's, else only those teams' (a filter on the index's copy of the team); `assignee`:
        only those assigned to them, judged on the complaints read (the index holds no assignee)."""
        ordered = sorted(teams) if teams is not None else []
        fingerprint = f"follow-ups:{status.value}:{','.join(ordered) if teams is not None else '*'}"
        fingerprint += f":{assignee or '*'}"
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": FOLLOW_UP_INDEX,
            "KeyConditionExpression": "#status = :status",
            "ExpressionAttributeNames": {"#status": FOLLOW_UP_KEY},
            "ExpressionAttributeValues": marshal({":status": status.value}),
            "ProjectionExpression": "pk, sk, #due",
        }
        request["ExpressionAttributeNames"]["#due"] = FOLLOW_UP_DUE_KEY
        filters = []
        if teams is not None:
            names = [f":team{number}" for number in range(len(ordered))]
            filters.append(f"#team IN ({', '.join(names)})")
            request["ExpressionAttributeNames"]["#team"] = FOLLOW_UP_TEAM
            request["ExpressionAttributeValues"] |= marshal(dict(zip(names, ordered, strict=True)))
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        start = self._tokens.decode(next_token, fingerprint)["k"] if next_token else None
        found: list[dict[str, Any]] = []  # keys, read once at the end
        kept: list[Complaint] = []  # with `assignee`: read per query and judged
        for _ in range(MAX_QUERIES_PER_PAGE):
            request["Limit"] = limit - len(found) - len(kept)
            if start:
                request["ExclusiveStartKey"] = start
            response = self._call("query", **request)
            if assignee is None:
                found.extend(response.get("Items", []))
            else:
                # Read per query, so the next one continues from where this stopped and none is skipped.
                read = self._complaints_at(response.get("Items", []))
                kept.extend(c for c in read if c.follow_up and c.follow_up.assignee == assignee)
            start = response.get("LastEvaluatedKey")
            if start is None or len(found) + len(kept) >= limit:
                break
        token = self._tokens.encode({"f": fingerprint, "k": start}) if start else None
        return Page(items=kept + self._complaints_at(found), next_token=token)
