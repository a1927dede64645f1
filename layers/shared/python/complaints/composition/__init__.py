"""One composition root per function (api, notifier, publisher, report_builder, sla_sweep): its settings,
validated at cold start, and what it builds from them once per instance."""

from complaints.composition import api, notifier, publisher, report_builder, sla_sweep

__all__ = ["api", "notifier", "publisher", "report_builder", "sla_sweep"]
