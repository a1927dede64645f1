"""The report's aggregation over 100 000 and 1 000 000 synthetic complaints: throughput and peak memory.

Each size runs in a fresh interpreter (`python -m bench.aggregation <size>`): the peak RSS growth
while aggregating, over the RSS once everything is imported, is the memory the aggregation needs, and
must not grow with the number of complaints. The complaints come from a generator, as the report
reads them page by page, so the input itself never sits in memory.

`aggregate` is the one callable measured. To measure another one (a new report module), point
BENCH_AGGREGATE at it as `module:function`; it is called with an iterable of Complaint.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from complaints.core.models import (
    Category,
    Channel,
    Complaint,
    Complexity,
    Customer,
    Deadlines,
    Feedback,
    Outcome,
    Priority,
    Product,
    Resolution,
    SlaPolicyName,
    Status,
)
from complaints.reporting.aggregation import QuarterAggregator
from complaints.reporting.quarter import Quarter

from .coldstart_probe import peak_rss_mib

QUARTER = Quarter(2026, 3)  # in UTC: [2026-07-01, 2026-10-01)
PERIOD_FROM = datetime(2026, 7, 1, tzinfo=UTC)
PERIOD_TO = datetime(2026, 10, 1, tzinfo=UTC)
AS_OF = datetime(2026, 10, 15, tzinfo=UTC)
CHANNELS, CATEGORIES, PRODUCTS = list(Channel), list(Category), list(Product)
ROOT_CAUSES = ("payment switch retry", "card reader fault", "staff manner", "fee disclosure", "app outage")
GENERATOR_SAMPLE = 100_000
STATUSES = (Status.CLOSED, Status.CLOSED, Status.CLOSED, Status.RESOLVED, Status.IN_PROGRESS, Status.RECEIVED)


def aggregate(complaints: Iterable[Complaint]) -> object:
    """The quarterly report's pass over one quarter (complaints/report.py): the KPIs, the chart
    tallies, the risk signals and a row of each CSV extract per complaint, written to a sink that
    discards them as the upload to S3 takes them away."""
    with Path(os.devnull).open("w") as complaints_csv, Path(os.devnull).open("w") as risk_csv:
        quarter = QuarterAggregator(QUARTER, "UTC", AS_OF, [], complaints_csv, risk_csv)
        for complaint in complaints:
            quarter.add(complaint)
        return quarter.kpis.report()


def aggregation() -> Callable[[Iterable[Complaint]], object]:
    named = os.environ.get("BENCH_AGGREGATE")
    if not named:
        return aggregate
    module, _, function = named.partition(":")
    chosen: Callable[[Iterable[Complaint]], object] = getattr(importlib.import_module(module), function)
    return chosen


def _template(status: Status) -> Complaint:
    received = PERIOD_FROM
    answered = status is not Status.RECEIVED
    finished = status in (Status.RESOLVED, Status.CLOSED)
    return Complaint.model_construct(
        id="template",
        reference="CG-000000000000",
        status=status,
        channel=Channel.COUNTER,
        category=Category.SERVICE,
        product=Product.DEPOSIT,
        priority=Priority.NORMAL,
        complexity=Complexity.SIMPLE,
        customer=Customer.model_construct(customer_id="C-0", name="x"),
        description="synthetic",
        received_at=received,
        created_at=received,
        updated_at=received,
        sla_policy=SlaPolicyName.SEED,
        deadlines=Deadlines.model_construct(first_response_due_at=received, resolution_due_at=received),
        first_responded_at=received if answered else None,
        resolved_at=received if finished else None,
        closed_at=received if status is Status.CLOSED else None,
        breaches=[],
        resolution=Resolution.model_construct(outcome=Outcome.UPHELD, summary="done", root_cause="x")
        if finished
        else None,
        feedback=[Feedback.model_construct(rating=5, at=received, comment=None, resolution_number=1)]
        if status is Status.CLOSED
        else [],
        submitted_by="bench",
        version=5,
    )


def synthetic_complaints(count: int) -> Iterator[Complaint]:
    """`count` distinct complaints received across the quarter in every state, each its own object
    with its own customer, deadlines, times, resolution and rating (customers repeat now and then, as
    they do). Built by copying a template per state and setting fields, without validation: the
    aggregation is measured, not pydantic (model_construct would cost more than the aggregation)."""
    templates = [_template(status) for status in STATUSES]
    span = int((PERIOD_TO - PERIOD_FROM).total_seconds())
    for number in range(count):
        template = templates[number % len(templates)]
        received = PERIOD_FROM + timedelta(seconds=(number * 7919) % span)
        complaint = copy.copy(template)
        customer = copy.copy(template.customer)
        customer.__dict__["customer_id"] = f"C-{number % (count // 3 + 1)}"
        deadlines = copy.copy(template.deadlines)
        deadlines.__dict__.update(
            first_response_due_at=received + timedelta(hours=24),
            resolution_due_at=received + timedelta(hours=48),
        )
        fields = complaint.__dict__
        fields.update(
            id=f"c{number:09d}",
            channel=CHANNELS[number % len(CHANNELS)],
            category=CATEGORIES[number % len(CATEGORIES)],
            product=PRODUCTS[number % len(PRODUCTS)],
            priority=Priority.HIGH if number % 50 == 0 else Priority.NORMAL,
            customer=customer,
            received_at=received,
            deadlines=deadlines,
            team=f"team-{number % 12}",
        )
        if template.first_responded_at is not None:
            fields["first_responded_at"] = received + timedelta(hours=2 + number % 30)
        if template.resolved_at is not None:
            fields["resolved_at"] = received + timedelta(hours=20 + number % 40)
            resolution = copy.copy(template.resolution)
            resolution.__dict__["root_cause"] = ROOT_CAUSES[number % len(ROOT_CAUSES)]
            fields["resolution"] = resolution
        if template.closed_at is not None:
            fields["closed_at"] = received + timedelta(hours=70)
            rating = copy.copy(template.feedback[0])
            rating.__dict__.update(rating=1 + number % 5, at=received + timedelta(hours=72))
            fields["feedback"] = [rating]
        yield complaint


def run_one(count: int) -> dict[str, Any]:
    """In this process: generate only, then aggregate; the difference is the aggregation's time."""
    function = aggregation()
    # The generator's own time, from a sample, is taken off the aggregation's.
    sample = min(count, GENERATOR_SAMPLE)
    started = time.perf_counter()
    for _ in synthetic_complaints(sample):
        pass
    generated = (time.perf_counter() - started) * count / sample
    before = peak_rss_mib()
    started = time.perf_counter()
    function(synthetic_complaints(count))
    total = time.perf_counter() - started
    aggregating = max(total - generated, 1e-9)
    return {
        "complaints": count,
        "aggregation": f"{function.__module__}.{function.__qualname__}",
        "seconds": round(total, 2),
        "generatorSeconds": round(generated, 2),
        "complaintsPerSecond": round(count / aggregating),
        "peakRssGrowthMib": round(peak_rss_mib() - before, 1),
    }


def measure(sizes: tuple[int, ...] = (100_000, 1_000_000)) -> dict[str, Any]:
    results: dict[str, Any] = {"sizes": {}}
    for size in sizes:
        completed = subprocess.run(
            [sys.executable, "-m", "bench.aggregation", str(size)],
            capture_output=True,
            text=True,
            check=True,
            timeout=900,
        )
        results["sizes"][str(size)] = json.loads(completed.stdout.strip().splitlines()[-1])
    first, *_, last = results["sizes"].values()
    # Flat: ten times the complaints may not need more than 1.5 times the memory (plus 5 MiB of noise).
    results["flat"] = last["peakRssGrowthMib"] <= 1.5 * first["peakRssGrowthMib"] + 5
    return results


if __name__ == "__main__":
    # Through the package, so the result names bench.aggregation.aggregate, not __main__.aggregate.
    from bench.aggregation import run_one as run_in_this_process

    print(json.dumps(run_in_this_process(int(sys.argv[1]))))
