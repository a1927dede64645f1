"""Build the runtime-dependency layer for Lambda (arm64, Python 3.13) without Docker.

The layer holds `[project] dependencies` of pyproject.toml, the one list of what the functions need at
run time (the venv installs the same pins, so the tests run against what ships). pip downloads
manylinux aarch64 wheels for CPython 3.13 and unpacks them into .build/layers/deps/python; what the
runtime already ships (boto3, botocore …) is removed. The build is skipped when the dependencies have
not changed since the last one (a stamp holds their hash).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
OUTPUT = ROOT / ".build" / "layers" / "deps"
STAMP = OUTPUT / ".requirements.sha256"
PROVIDED_BY_RUNTIME = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "urllib3",
    "python_dateutil",
    "dateutil",
    "six",
)


def layer_requirements(pyproject: Path = PYPROJECT) -> list[str]:
    """What the layer holds: the project's runtime dependencies, as pinned in pyproject.toml."""
    dependencies: list[str] = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    return dependencies


def digest(requirements: list[str]) -> str:
    return hashlib.sha256("\n".join(requirements).encode()).hexdigest()


def main() -> int:
    requirements = layer_requirements()
    stamp = digest(requirements)
    if STAMP.exists() and STAMP.read_text() == stamp and (OUTPUT / "python").is_dir():
        print(f"deps layer up to date ({OUTPUT})")
        return 0
    shutil.rmtree(OUTPUT, ignore_errors=True)
    target = OUTPUT / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--platform",
            "manylinux2014_aarch64",
            "--implementation",
            "cp",
            "--python-version",
            "3.13",
            "--only-binary=:all:",
            "--target",
            str(target),
            *requirements,
        ],
        check=True,
    )
    for entry in target.iterdir():
        name = (entry.stem if entry.is_file() else entry.name).split("-")[0].lower()
        if name in PROVIDED_BY_RUNTIME or entry.name == "bin":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for cache in target.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    STAMP.write_text(stamp)
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file()) / 2**20
    print(f"deps layer built: {target} ({size:.1f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
