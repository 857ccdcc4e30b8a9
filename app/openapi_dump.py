"""Print the OpenAPI document the app serves; `./dev openapi` writes it to openapi/openapi.json."""

from __future__ import annotations

import json
import sys

from app.config import Settings
from app.main import create_app


def document() -> str:
    app = create_app(Settings(database_url="sqlite:///:memory:", _env_file=None))
    return json.dumps(app.openapi(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(document())
