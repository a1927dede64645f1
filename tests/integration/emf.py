"""Reads the CloudWatch embedded-metric documents a handler printed (Powertools writes one JSON line
per document to stdout) as {(metric, dimensions other than service): sum of its values}."""

from __future__ import annotations

import json
import os

Emitted = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def emitted(stdout: str) -> Emitted:
    found: Emitted = {}
    for line in stdout.splitlines():
        if '"_aws"' not in line:
            continue
        document = json.loads(line)
        (directive,) = document["_aws"]["CloudWatchMetrics"]
        # the namespace and service the function's environment names (the stack's, or the tests')
        assert directive["Namespace"] == os.environ["POWERTOOLS_METRICS_NAMESPACE"]
        assert document["service"] == os.environ["POWERTOOLS_SERVICE_NAME"]
        for dimension_set in directive["Dimensions"]:
            assert "service" in dimension_set
            dimensions = tuple(sorted((k, document[k]) for k in dimension_set if k != "service"))
            for metric in directive["Metrics"]:
                values = document[metric["Name"]]
                total = sum(values) if isinstance(values, list) else values
                key = (metric["Name"], dimensions)
                found[key] = found.get(key, 0.0) + total
    return found
