"""Measures (complaints/measures.py) as CloudWatch metrics in the embedded metric format (Powertools).

Each distinct metric and dimension set is one EMF document (single_metric), so breakdowns never take on
the dimensions of another metric. Powertools adds the `service` dimension to each, and the namespace
comes from POWERTOOLS_METRICS_NAMESPACE (the stack sets both on every function).
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_lambda_powertools import single_metric
from aws_lambda_powertools.metrics import MetricUnit

from complaints.metrics.measures import Measure, tally


def emit(measures: Iterable[Measure]) -> None:
    """Print the measures, added up per metric and dimension set, for CloudWatch to pick up."""
    for measure in tally(measures):
        with single_metric(name=measure.name, unit=MetricUnit.Count, value=measure.value) as metric:
            for key, value in measure.dimensions:
                metric.add_dimension(name=key, value=value)
