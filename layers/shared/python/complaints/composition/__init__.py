"""One composition root per function (api, notifier, publisher, report_builder, sla_sweep): its settings,
validated at cold start, and what it builds from them once per instance. Import the one you need: each
function loads only its own."""
