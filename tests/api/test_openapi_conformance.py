"""The served OpenAPI document tells the truth: schemathesis, with every check, against a live server.

Every operation is exercised with an admin key and with an agent key: examples, coverage
(positive and negative values at every boundary the document states) and fuzzing, then every
response is checked: no 5xx, only documented status codes and content types, bodies and headers
matching their schemas, schema-valid requests accepted and schema-invalid ones refused, an
``Allow`` that lists what the path supports. A route that disagrees with its document fails here.

Bounded: a fixed seed and a few examples per operation, so a run takes a couple of minutes.
The server under test never reaches out: its webhook dispatcher is off, and private targets are
allowed only so that registering an endpoint does not look its host up in DNS.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.config import Settings
from app.main import create_app
from tests.databases import SqliteTemplate
from tests.live import LiveServer, serve
from tests.support import make_keys

SEED = 20261201
EXAMPLES = 6

#: Answers that depend on what the database holds or on the clock, not on the request's shape:
#: a stale If-Match (412) is such an answer, like a conflict (409).
STATE_DEPENDENT = ["2xx", "3xx", "401", "403", "404", "409", "412", "429", "5xx"]
#: Rules between values that JSON Schema cannot state; each operation below names its own, and
#: the 422 it answers names the rule broken.
CROSS_VALUE_RULES = {
    # A flow's texts and depends_on name its own stages; its stages form no cycle.
    "POST /v1/flows": "stages referenced by key",
    # An expiry must lie in the future: a rule about the clock.
    "POST /v1/keys": "expires_at after now",
    # A report's period: from before to, at most 366 days.
    "GET /v1/reports/stages": "from before to",
    "GET /v1/reports/inquiries": "from before to",
    # A mapping's paths and fixed values together name every field a stage update needs, once.
    "POST /v1/integrations": "mapping complete",
    "PATCH /v1/integrations/{name}": "mapping complete",
    # A target's host must resolve and its port be allowed; no credentials or fragment in it.
    "POST /v1/webhooks": "target reachable and safe",
    "PATCH /v1/webhooks/{endpoint_id}": "target reachable and safe",
    # What the database holds: the flow named must exist, the stage named must be the order's.
    "POST /v1/orders": "flow exists",
    # A CSV file's rows: each a valid order on a flow that exists, its reference not yet taken.
    "POST /v1/orders/import": "each row a new, valid order",
    "POST /v1/orders/{reference}/inquiries": "stage is the order's",
    "POST /v1/orders/{reference}/requests": "stage is the order's",
    # A change is answered accepted or refused, a question with neither; one body per key.
    "POST /v1/orders/{reference}/requests/{request_id}/answer": "outcome fits the request",
    # An acknowledgement names a version the order has reached, and its cost the order's currency.
    "POST /v1/orders/{reference}/acknowledgements": "version the order has reached",
    # A calendar's periods end after they start and do not overlap; it has some working time; a
    # department works by one calendar; a subdivision belongs to the holidays' country.
    "POST /v1/calendars": "periods in order, apart",
    "PATCH /v1/calendars/{key}": "periods in order, apart",
    # An Idempotency-Key once used stands for its first body: another body under it is refused.
    "POST /v1/orders/{reference}/stages/{stage}/updates": "one body per Idempotency-Key",
}

CONFIG: dict[str, Any] = {
    "seed": SEED,
    "generation": {"max-examples": EXAMPLES, "mode": "all", "deterministic": True},
    "checks": {
        "enabled": True,
        "positive_data_acceptance": {"expected-statuses": STATE_DEPENDENT},
        # If-Match is required: its absence is answered 428 Precondition Required (RFC 6585).
        "missing_required_header": {"expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]},
    },
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
    "operations": [
        # The stream stays open: read a few messages, then let go.
        {"include-name": "GET /v1/stream", "request-timeout": 2, "max-stream-events": 3},
        *(
            {
                "include-name": name,
                "checks": {"positive_data_acceptance": {"expected-statuses": [*STATE_DEPENDENT, "422"]}},
            }
            for name in CROSS_VALUE_RULES
        ),
    ],
    "request-timeout": 10,
}


@dataclass(frozen=True)
class Target:
    server: LiveServer
    admin: str
    agent: str


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    database_url = SqliteTemplate(Path(tmp_path_factory.mktemp("conformance"))).fresh_url()
    settings_ = Settings(
        database_url=database_url,
        dispatcher_enabled=False,
        sweeper_enabled=False,
        allow_private_webhook_targets=True,
        log_json=False,
        log_requests=False,
        # A stream ends itself (its goodbye frame checked like any other) well before the client's
        # read timeout, rather than each case waiting that timeout out on an empty log.
        sse_max_lifetime_seconds=0.2,
        gc_tuning=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    with serve(create_app(settings_)) as server:
        keys = make_keys(server.app.state.ctx)
        KEYS.update(admin=keys.admin, agent=keys.agent)
        yield Target(server=server, admin=keys.admin, agent=keys.agent)


DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
#: The keys of the server under test, by role, filled in once it runs.
KEYS: dict[str, str] = {}


def _schema(role: str) -> Any:
    # The committed document, which test_openapi keeps identical to the one the app serves.
    schema = schemathesis.openapi.from_path(DOCUMENT, config=schemathesis.Config.from_dict(CONFIG))

    # As an auth provider, so schemathesis knows the header is the credential and leaves it out
    # when it tests what a request without one gets. Cases are made before the server runs, so
    # they carry the role's name; the test puts the role's key in its place.
    @schema.auth()
    class Bearer:
        def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
            return role

        def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


admin_schema = _schema("admin")
agent_schema = _schema("agent")
CHECKED = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@admin_schema.parametrize()
@CHECKED
def test_every_operation_does_what_its_document_says_to_an_admin(
    case: schemathesis.Case, target: Target
) -> None:
    _call_and_validate(case, target)


@agent_schema.parametrize()
@CHECKED
def test_every_operation_does_what_its_document_says_to_an_agent(
    case: schemathesis.Case, target: Target
) -> None:
    _call_and_validate(case, target)


def _call_and_validate(case: schemathesis.Case, target: Target) -> None:
    headers = case.headers or {}
    role = headers.get("Authorization", "").removeprefix("Bearer ")
    if role in KEYS:
        case.headers = {**headers, "Authorization": f"Bearer {KEYS[role]}"}
    case.call_and_validate(base_url=target.server.url)
