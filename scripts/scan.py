"""Scan as a bank's reviewers would: checkov on the synthesized template, bandit on the Python code.

Every finding must be acknowledged, with its reason, in security/acknowledgements.yaml (the one
reviewed file, as cdk-nag's acknowledgements are in infra/complaint_guard/nag.py). What is left is
printed and the exit status is 1; an acknowledgement that matches no finding any more (stale) fails
too, so the file never outlives what it excuses.

    make scan            # .venv-scan holds the pinned checkov and bandit, apart from the project's venv
    python scripts/scan.py --scanners .venv-scan/bin [--template cdk.out/complaint-guard.template.json …]

An entry names the tool, the check id, what it is about (checkov: `resource`, the template's
`<Type>.<LogicalId>`; bandit: `file`, relative to the repository), both as shell-style patterns
(fnmatch), and the reason.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CDK_OUT = ROOT / "cdk.out"
TEMPLATE = CDK_OUT / "complaint-guard.template.json"
ACKNOWLEDGEMENTS = ROOT / "security" / "acknowledgements.yaml"
BANDIT_TARGETS = ("layers", "functions", "infra", "scripts")
TOOLS = ("checkov", "bandit")


@dataclass(frozen=True)
class Finding:
    tool: str
    check: str
    target: str  # checkov: <Type>.<LogicalId>; bandit: the file
    where: str  # what a reader needs to find it
    title: str

    def __str__(self) -> str:
        return f"{self.tool} {self.check} {self.target} ({self.where}): {self.title}"


@dataclass(frozen=True)
class Acknowledgement:
    tool: str
    check: str
    target: str
    reason: str

    def matches(self, finding: Finding) -> bool:
        return (
            finding.tool == self.tool
            and finding.check == self.check
            and fnmatch.fnmatchcase(finding.target, self.target)
        )

    def __str__(self) -> str:
        return f"{self.tool} {self.check} {self.target}"


def load_acknowledgements(path: Path) -> list[Acknowledgement]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: list[Acknowledgement] = []
    for number, entry in enumerate(entries.get("acknowledgements") or [], start=1):
        tool = entry.get("tool")
        target = entry.get("resource") if tool == "checkov" else entry.get("file")
        reason = str(entry.get("reason") or "").strip()
        if tool not in TOOLS or not entry.get("check") or not target or len(reason) < 20:
            raise SystemExit(
                f"{path}: entry {number} needs tool (checkov|bandit), check, resource (checkov) or file "
                f"(bandit) and a reason of a sentence at least: {entry!r}"
            )
        found.append(Acknowledgement(tool, str(entry["check"]), str(target), reason))
    return found


def run_json(command: list[str]) -> Any:
    # Our own fixed command lines (the scanners of .venv-scan), no shell.
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise SystemExit(
            f"scan: {' '.join(command)} gave no JSON report (exit {done.returncode}):\n{done.stderr[-2000:]}"
        ) from None


def checkov(scanners: Path, template: Path) -> list[Finding]:
    if not template.is_file():
        raise SystemExit(f"scan: {template} is missing: run `make synth` first")
    command = [str(scanners / "checkov"), "--file", str(template), "--framework", "cloudformation"]
    report = run_json([*command, "--output", "json", "--quiet", "--compact"])
    reports = report if isinstance(report, list) else [report]
    findings: list[Finding] = []
    for one in reports:
        if one.get("summary", {}).get("parsing_errors"):
            raise SystemExit(f"scan: checkov could not parse {template}")
        for failed in one.get("results", {}).get("failed_checks", []):
            findings.append(
                Finding(
                    "checkov", failed["check_id"], failed["resource"], template.name, failed["check_name"]
                )
            )
    return findings


def bandit(scanners: Path) -> list[Finding]:
    command = [str(scanners / "bandit"), "--recursive", *BANDIT_TARGETS, "--format", "json", "--quiet"]
    report = run_json(command)
    if report.get("errors"):
        raise SystemExit(f"scan: bandit could not read some files: {report['errors']}")
    return [
        Finding(
            "bandit",
            result["test_id"],
            result["filename"],
            f"line {result['line_number']}, {result['issue_severity'].lower()} severity",
            result["issue_text"],
        )
        for result in report.get("results", [])
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scanners", type=Path, default=ROOT / ".venv-scan" / "bin")
    parser.add_argument(
        "--template",
        type=Path,
        action="append",
        dest="templates",
        help="a template to scan (repeatable); default: every stack's in cdk.out",
    )
    parser.add_argument("--acknowledgements", type=Path, default=ACKNOWLEDGEMENTS)
    args = parser.parse_args(argv)

    acknowledged = load_acknowledgements(args.acknowledgements)
    templates = args.templates or sorted(CDK_OUT.glob("*.template.json")) or [TEMPLATE]
    findings = [f for template in templates for f in checkov(args.scanners, template)] + bandit(args.scanners)
    left = [finding for finding in findings if not any(ack.matches(finding) for ack in acknowledged)]
    stale = [ack for ack in acknowledged if not any(ack.matches(finding) for finding in findings)]

    counts = {tool: sum(1 for f in findings if f.tool == tool) for tool in TOOLS}
    print(
        f"scan: checkov {counts['checkov']} finding(s), bandit {counts['bandit']} finding(s); "
        f"{len(findings) - len(left)} acknowledged by {len(acknowledged)} entries of "
        f"{args.acknowledgements.name}"
    )
    for finding in left:
        print(f"  NOT ACKNOWLEDGED  {finding}")
    for ack in stale:
        print(f"  STALE             {ack}: matches no finding any more; remove it")
    if left or stale:
        print(
            f"scan: FAILED: {len(left)} finding(s) to fix (or acknowledge with a real reason) and "
            f"{len(stale)} stale acknowledgement(s)"
        )
        return 1
    print("scan: passed: every finding is acknowledged and every acknowledgement still applies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
