"""A complaint and its customer for the notification tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from complaints.core.models import (
    Category,
    Channel,
    Complaint,
    Complexity,
    Customer,
    Priority,
    Product,
    SlaPolicyName,
    Status,
)
from complaints.sla.policies import compute_deadlines

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
PHONE = "+8613912345678"
EMAIL = "zhang.wei@example.com"
LINK = "https://complaints.example.com/t/c-1?token=abc"


def customer(**overrides: Any) -> Customer:
    fields: dict[str, Any] = {
        "customer_id": "C-10086",
        "name": "张伟",
        "phone": PHONE,
        "email": EMAIL,
        "preferred_contact": ["sms", "email"],
    }
    return Customer.model_validate(fields | overrides)


def complaint(**overrides: Any) -> Complaint:
    priority = overrides.get("priority", Priority.NORMAL)
    fields: dict[str, Any] = {
        "id": "c-1",
        "reference": "CG-260302-7K3Q9X",
        "status": Status.RECEIVED,
        "channel": Channel.COUNTER,
        "category": Category.SERVICE,
        "product": Product.DEPOSIT,
        "priority": priority,
        "complexity": Complexity.SIMPLE,
        "customer": customer(),
        "description": "ATM 吞卡",
        "received_at": T0,
        "created_at": T0,
        "updated_at": T0,
        "sla_policy": SlaPolicyName.SEED,
        "deadlines": compute_deadlines(SlaPolicyName.SEED, T0, priority, Complexity.SIMPLE, Product.DEPOSIT),
        "submitted_by": "counter-app",
    }
    return Complaint.model_validate(fields | overrides)
