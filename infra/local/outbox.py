"""Everything the system sent, for `GET /_local/outbox`: e-mails (SES), SMS and staff topic messages
(SNS), read from the emulator, newest last, each with the time the runtime first saw it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from .emulator import ACCOUNT_ID


class Outbox:
    def __init__(self, region: str) -> None:
        self._region = region
        self._seen: set[str] = set()
        self._entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def collect(self) -> None:
        from moto.ses.models import ses_backends
        from moto.sns.models import sns_backends

        found: list[tuple[str, dict[str, Any]]] = []
        for message in ses_backends[ACCOUNT_ID][self._region].sent_messages:
            destinations = getattr(message, "destinations", {}) or {}
            found.append(
                (
                    f"ses:{message.id}",
                    {
                        "channel": "email",
                        "from": getattr(message, "source", None),
                        "to": destinations.get("ToAddresses", []),
                        "subject": getattr(message, "subject", None),
                        "body": getattr(message, "body", None),
                    },
                )
            )
        sns = sns_backends[ACCOUNT_ID][self._region]
        for message_id, (phone, text) in list(sns.sms_messages.items()):
            found.append((f"sms:{message_id}", {"channel": "sms", "to": phone, "body": text}))
        for topic in list(sns.topics.values()):
            for message_id, text, subject, *_ in list(topic.sent_notifications):
                found.append(
                    (
                        f"topic:{message_id}",
                        {"channel": "topic", "to": topic.arn, "subject": subject, "body": text},
                    )
                )
        with self._lock:
            now = datetime.now(UTC).isoformat()
            for key, entry in found:
                if key not in self._seen:
                    self._seen.add(key)
                    self._entries.append({"id": key, "seenAt": now, **entry})

    def entries(self) -> list[dict[str, Any]]:
        self.collect()
        with self._lock:
            return list(self._entries)
