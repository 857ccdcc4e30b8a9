"""Generate the typed Python client in clients/python from openapi/openapi.json.

    python clients/generate.py [OUTPUT]     (`./dev client`; OUTPUT defaults to clients/python)

openapi-python-client names models by their schema's title. FastAPI gives a model that differs
as a request and as an answer two schemas (`MoneyIn-Input`, `MoneyIn-Output`) with one title, which
the generator refuses as duplicates and then leaves whole routes out; so the document is handed
over with those two titled apart (`MoneyInInput`, `MoneyInOutput`). Nothing else is changed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DOCUMENT = REPO / "openapi" / "openapi.json"
DEFAULT_OUTPUT = REPO / "clients" / "python"
BIN = Path(sys.executable).parent
CONFIG = {
    "project_name_override": "nextdesk-client",
    "package_name_override": "nextdesk_client",
    # A CSV file is sent as the bytes it is (the import's Content-Type stays text/csv).
    "content_type_overrides": {"text/csv": "application/octet-stream"},
    # The generator formats what it writes; the ruff of this environment (pinned by uv.lock) does it.
    "post_hooks": [f"{BIN / 'ruff'} check --fix-only .", f"{BIN / 'ruff'} format ."],
}


def titled_apart(document: dict[str, Any]) -> dict[str, Any]:
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if name.endswith(("-Input", "-Output")):
            schema["title"] = name.replace("-", "")
    return document


def generate(output: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        document = Path(work) / "openapi.json"
        document.write_text(json.dumps(titled_apart(json.loads(DOCUMENT.read_text()))))
        config = Path(work) / "config.json"
        config.write_text(json.dumps(CONFIG))
        built = Path(work) / "client"
        done = subprocess.run(
            [
                str(BIN / "openapi-python-client"),
                "generate",
                "--path",
                str(document),
                "--config",
                str(config),
                "--meta",
                "uv",
                "--output-path",
                str(built),
                "--fail-on-warning",
            ],
            cwd=work,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            # Its warnings say which part of the document it could not turn into code.
            raise SystemExit(f"openapi-python-client failed:\n{done.stdout}\n{done.stderr}")
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(built, output)


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else DEFAULT_OUTPUT
    generate(target)
    print(f"wrote {target.relative_to(REPO) if target.is_relative_to(REPO) else target}")
