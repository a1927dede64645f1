"""Write the OpenAPI document generated from the API handler to docs/openapi.json (`make openapi`).
A test fails when the committed document and the code disagree."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "docs" / "openapi.json"


def generated() -> dict[str, object]:
    # The routes and the resolver alone: the document needs no settings and touches no AWS resource.
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    sys.path[:0] = [str(ROOT / "layers" / "shared" / "python"), str(ROOT / "functions" / "api")]
    from resolver import openapi_json
    from routes import include_all

    include_all()

    document: dict[str, object] = json.loads(openapi_json())
    return document


if __name__ == "__main__":
    DOCUMENT.write_text(json.dumps(generated(), indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {DOCUMENT.relative_to(ROOT)}")
