"""Telling customers and staff (docs/architecture.md §6): who is told what, in which language and through
which channel (`planner`), every message's text (`templates`), and the use case that sends and records
(`notifier`). AWS lives in the adapters (`adapters.ses`, `adapters.sns`, `adapters.notification_log`);
`notifications.runtime` composes them for the notifier Lambda."""
