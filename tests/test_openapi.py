from __future__ import annotations

import json
from pathlib import Path

from app.openapi_dump import document

COMMITTED = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    """The committed contract must be what the app serves: run `./dev openapi` after changing the API."""
    served = json.loads(document())
    committed = json.loads(COMMITTED.read_text())
    assert served == committed, "openapi/openapi.json is stale: run ./dev openapi and commit the result"


def test_every_route_documents_its_problems() -> None:
    served = json.loads(document())
    for path, operations in served["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            assert "401" in operation["responses"], f"{method.upper()} {path} does not document 401"
