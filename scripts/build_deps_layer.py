"""Build the runtime-dependency layer for Lambda (arm64, Python 3.13) without Docker.

pip downloads manylinux aarch64 wheels for CPython 3.13 and unpacks them into
.build/layers/deps/python; what the runtime already ships (boto3, botocore …) is removed. The build
is skipped when the requirements have not changed since the last one (a stamp holds their hash).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "layers" / "deps" / "requirements.txt"
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


def main() -> int:
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest and (OUTPUT / "python").is_dir():
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
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )
    for entry in target.iterdir():
        name = (entry.stem if entry.is_file() else entry.name).split("-")[0].lower()
        if name in PROVIDED_BY_RUNTIME or entry.name == "bin":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for cache in target.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    STAMP.write_text(digest)
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file()) / 2**20
    print(f"deps layer built: {target} ({size:.1f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
