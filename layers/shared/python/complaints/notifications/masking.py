"""Masked recipients: enough to tell two numbers apart in the notification log, never the number.

`+8613800138000` → `+86138****8000`; `zhang.wei@example.com` → `z***@example.com`.
"""

from __future__ import annotations

from complaints.notifications.messages import DeliveryChannel


def mask_phone(phone: str) -> str:
    if len(phone) >= 12:
        return f"{phone[:6]}****{phone[-4:]}"
    return f"{phone[:3]}****{phone[-2:]}"


def mask_email(address: str) -> str:
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"


def mask_recipient(channel: DeliveryChannel, recipient: str) -> str:
    """Staff topics are no one's personal data; they are kept as they are."""
    if channel is DeliveryChannel.SMS:
        return mask_phone(recipient)
    if channel is DeliveryChannel.EMAIL:
        return mask_email(recipient)
    return f"topic:{recipient}"
