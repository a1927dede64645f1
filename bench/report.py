"""bench/results.json as Markdown tables (what `make bench` prints and the README shows)."""

from __future__ import annotations

from typing import Any

WRITES = ("TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem")
UPDATES = (
    "POST …/responses",
    "PATCH /v1/complaints/{id}",
    "POST …/resolve",
    "POST /v1/track/{id}/feedback",
    "POST …/close",
)
INTAKE = "POST /v1/complaints"
PUBLISHER = "publisher (1 stream record)"


def _rows(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _yes(held: bool) -> str:
    return "yes" if held else "NO"


def _calls(calls: dict[str, int]) -> str:
    return ", ".join(f"{name} ×{count}" if count > 1 else name for name, count in calls.items()) or "none"


def _writes_to_complaints(calls: dict[str, int]) -> int:
    return sum(
        count
        for name, count in calls.items()
        if name.split(":")[1].startswith(WRITES) and "(complaints)" in name
    )


def expectation(operation: str, entry: dict[str, Any]) -> tuple[str, str]:
    """(what is expected, whether it holds) for the operations the issue names."""
    calls: dict[str, int] = entry["calls"]
    if operation == INTAKE:
        own = {name: count for name, count in calls.items() if "(idempotency)" not in name}
        held = own == {"dynamodb:TransactWriteItems(complaints)": 1, "stepfunctions:StartExecution": 1}
        return "1 transaction + workflow start (event: publisher)", "yes" if held else "NO"
    if operation == PUBLISHER:
        held = calls.get("events:PutEvents", 0) == entry["invocations"]
        return "1 event publication per audit event", "yes" if held else "NO"
    if operation in UPDATES:
        held = _writes_to_complaints(calls) == 1
        return "1 conditional write", "yes" if held else "NO"
    return "", ""


def table(results: dict[str, Any]) -> str:
    parts: list[str] = []
    cold = results["coldStart"]
    baseline = cold["functions"]["baseline"]
    parts.append(
        f"### Cold start (import + init in a fresh interpreter; median of {cold['rounds']} rounds; "
        f"target ≤ {cold['targetRatio']}× the baseline in the same round)\n\n"
        + _rows(
            ["handler", "import ms", "× baseline", "peak RSS MiB", "× baseline", "within target"],
            [
                [
                    "baseline (bench/baseline/app.py)",
                    baseline["importMs"],
                    "1.00",
                    baseline["peakRssMib"],
                    "1.00",
                    "",
                ]
            ]
            + [
                [
                    f"functions/{name}/app.py",
                    entry["importMs"],
                    f"{entry['importRatio']:.2f}",
                    entry["peakRssMib"],
                    f"{entry['memoryRatio']:.2f}",
                    "yes" if entry["withinTarget"] else "NO",
                ]
                for name, entry in cold["functions"].items()
                if name != "baseline"
            ],
        )
    )
    first = cold["firstIntake"]
    parts.append(
        "### Ready for the first intake (import + composing the service, idempotent intake and their "
        f"clients; fastest round's CPU time, median ratio {first['medianRatio']:.2f}; "
        f"target ≤ {first['targetRatio']}× the baseline's import + its table)\n\n"
        + _rows(
            ["handler", "CPU ms", "× baseline", "median wall ms", "within target"],
            [
                ["baseline (bench/baseline/app.py)", first["baselineCpuMs"], "1.00", first["baselineMs"], ""],
                [
                    "functions/api/app.py",
                    first["apiCpuMs"],
                    f"{first['ratio']:.2f}",
                    first["apiMs"],
                    "yes" if first["withinTarget"] else "NO",
                ],
            ],
        )
    )
    warm = results["warm"]
    parts.append(
        f"### Warm latency (in-process on moto, {warm['lifecycles']} lifecycles after a warm-up)\n\n"
        + _rows(
            ["operation", "p50 ms", "p99 ms", "samples"],
            [
                [name, entry["p50Ms"], entry["p99Ms"], entry["samples"]]
                for name, entry in warm["latency"].items()
            ],
        )
    )
    rows = []
    for name, entry in warm["callsPerOperation"].items():
        expected, held = expectation(name, entry)
        read, write = entry["dynamodbReadUnits"], entry["dynamodbWriteUnits"]
        units = f"{read:g} / {write:g} ({entry['dynamodbIndexWriteUnits']:g})"
        rows.append([name, entry["invocations"], _calls(entry["calls"]), units, expected, held])
    parts.append(
        "### AWS calls per operation (botocore hooks; one lifecycle; DynamoDB read / write units, GSI share "
        "in brackets)\n\n"
        + _rows(["operation", "invocations", "calls", "RRU / WRU (GSI)", "expected", "holds"], rows)
    )
    sweep = results["slaSweep"]
    parts.append(
        f"### SLA sweep reads ({sweep['due']} complaints due; reads flat: {_yes(sweep['flat'])})\n\n"
        + _rows(
            ["open complaints", "index queries", "items scanned", "items returned", "RRU"],
            [
                [
                    f"{int(size):,}",
                    entry["indexQueries"],
                    entry["itemsScanned"],
                    entry["itemsReturned"],
                    entry["readUnits"],
                ]
                for size, entry in sweep["sizes"].items()
            ],
        )
    )
    aggregation = results["aggregation"]
    first = next(iter(aggregation["sizes"].values()))
    parts.append(
        f"### Report aggregation ({first['aggregation']}; memory flat: {_yes(aggregation['flat'])})\n\n"
        + _rows(
            ["complaints", "complaints/s", "peak RSS growth MiB", "seconds (with generator)"],
            [
                [
                    f"{int(size):,}",
                    f"{entry['complaintsPerSecond']:,}",
                    entry["peakRssGrowthMib"],
                    entry["seconds"],
                ]
                for size, entry in aggregation["sizes"].items()
            ],
        )
    )
    parts.append(case_library_table(results["caseLibrary"]))
    cost = results["cost"]
    per = cost["perComplaint"]
    usd = cost["usdPer1000"]
    parts.append(
        f"### Cost of {cost['complaints']:,} complaints over a full lifecycle ({cost['region']}, arm64, list "
        f"prices of {cost['pricesTaken']}): ${cost['usdPer1000Total']:.2f}, plus SMS\n\n"
        + _rows(
            ["item", "per complaint", "USD per 1,000"],
            [
                [
                    "Lambda (requests; GB-s)",
                    f"{per['lambdaRequests']:g}; {per['lambdaGbSeconds']:.3f}",
                    usd["lambda"],
                ],
                [
                    "DynamoDB on-demand (RRU / WRU)",
                    f"{per['dynamodbReadUnits']:g} / {per['dynamodbWriteUnits']:g}",
                    usd["dynamodb"],
                ],
                [
                    "Step Functions standard (transitions, assumed)",
                    per["stepFunctionsTransitions"],
                    usd["stepFunctions"],
                ],
                ["EventBridge (events)", per["eventBridgeEvents"], usd["eventBridge"]],
                ["SQS (requests, assumed)", per["sqsRequests"], usd["sqs"]],
                ["SES (e-mails)", per["emails"], usd["ses"]],
                ["X-Ray (traces)", f"{per['xrayTraces']:g}", usd["xray"]],
                [
                    f"SMS, separately ({cost['smsPer1000']['destination']})",
                    per["sms"],
                    cost["smsPer1000"]["usd"],
                ],
            ],
        )
    )
    return "\n\n".join(parts)


def case_library_table(library: dict[str, Any]) -> str:
    relevance, moto = library["relevance"], library["moto"]
    return (
        "### Case library: similar past cases (the query's line `other`; the library's work in memory, "
        "DynamoDB's reads computed from the entries)\n\n"
        + _rows(
            [
                "resolved complaints",
                "compared",
                "median seconds",
                "index MB read",
                "RRU",
                "1 MB pages per shard",
            ],
            [
                [
                    f"{int(size):,}",
                    f"{entry['compared']:,}",
                    entry["medianSeconds"],
                    entry["indexMegabytes"],
                    entry["readUnits"],
                    entry["pagesPerShard"],
                ]
                for size, entry in library["sizes"].items()
            ],
        )
        + f"\n\nOn moto, the whole path at {moto['resolvedComplaints']:,}: {moto['indexQueries']} index "
        f"queries returned {moto['itemsRead']:,} entries, calls {moto['calls']}, {moto['readUnits']} RRU "
        f"({moto['seconds']} s, moto's own time). Relevance over {relevance['narratives']:,} CFPB "
        f"narratives: {relevance['sameIssueAt5']:.0%} of the five most similar share the complaint's CFPB "
        f"issue (a random five of the line: {relevance['sameIssueByChance']:.0%})."
    )
