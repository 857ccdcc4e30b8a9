"""How many times a stage update waits for PostgreSQL, counted on the wire, not guessed.

libpq's own protocol trace (``PQtrace``, public in psycopg as ``PGconn.trace``) is switched on for
every connection the service checks out of its pools while one request runs. Each ``Sync`` (the
end of an extended-protocol exchange) and each simple ``Query`` the client sends is one answer it
waits for: one round trip.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from psycopg import pq
from sqlalchemy import Engine, event

from tests.support import Api

#: The goal for a stage update on PostgreSQL (issue 17): at most this many round trips.
GOAL = 4


class Wire:
    """The frontend messages of the request's own connections (see :func:`traced`), by name."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        #: What was sent, one line per statement and per wait, to read when the count is off.
        self.log: list[str] = []

    @property
    def round_trips(self) -> int:
        return sum(1 for m in self.messages if m in ("Sync", "Query"))


@contextmanager
def traced(*engines: Engine) -> Iterator[Wire]:
    wire = Wire()
    files: list[Any] = []

    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        trace = tempfile.TemporaryFile()
        files.append(trace)
        pgconn = dbapi_connection.pgconn
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)

    def on_checkin(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None and not dbapi_connection.closed:
            dbapi_connection.pgconn.untrace()

    for engine in engines:
        event.listen(engine, "checkout", on_checkout)
        event.listen(engine, "checkin", on_checkin)
    try:
        yield wire
    finally:
        for engine in engines:
            event.remove(engine, "checkout", on_checkout)
            event.remove(engine, "checkin", on_checkin)
        for trace in files:
            os.fsync(trace.fileno())
            trace.seek(0)
            lines = trace.read().decode(errors="replace").splitlines()
            trace.close()
            # The request's own: the key's lookup and the use case's transaction. The fan-out's
            # read of the log after a commit and the webhook dispatcher's claims run beside it.
            if not any("api_key" in line or "order_stage" in line for line in lines):
                continue
            for line in lines:
                parts = line.split("\t")
                if len(parts) >= 3 and parts[0] == "F":
                    name = parts[2]
                    wire.messages.append(name)
                    if name in ("Sync", "Query", "Parse"):
                        wire.log.append(f"{name} {parts[3][:150] if len(parts) > 3 else ''}")


@pytest.fixture
def postgres_api(api: Api) -> Api:
    ctx = api.client.app.state.ctx  # type: ignore[attr-defined]
    if ctx.db.is_sqlite:
        pytest.skip("round trips are a PostgreSQL matter: SQLite runs in the process")
    return api


def _count(api: Api, body: dict[str, Any], headers: dict[str, str] | None = None) -> Wire:
    ctx = api.client.app.state.ctx  # type: ignore[attr-defined]
    # Warm: the flow, the learned durations and the key are cached after a first use.
    api.update("SO-W", "assembly", internal_note="warm")
    time.sleep(0.5)  # what that commit set off in the background (fan-out, dispatcher) is done
    with traced(ctx.db.read_engine, ctx.db.write_engine) as wire:
        response = api.post(
            "/v1/orders/SO-1042/stages/assembly/updates", body, key=api.keys.technician, headers=headers
        )
    assert response.status_code == 200, response.text
    return wire


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ({"status": "in_progress", "remaining_minutes": 240}, None),
        ({"status": "in_progress", "remaining_minutes": 240}, {"Prefer": "return=minimal"}),
    ],
    ids=["view", "minimal"],
)
def test_a_stage_update_waits_on_postgresql_at_most_four_times(
    postgres_api: Api, body: dict[str, Any], headers: dict[str, str] | None
) -> None:
    postgres_api.create_order("SO-W")
    postgres_api.create_order()
    wire = _count(postgres_api, body, headers)
    # Within the goal with a round trip to spare: the API key was read by the warm-up's update
    # and is known for a while (NEXTDESK_KEY_CACHE_SECONDS).
    assert not any("api_key" in line for line in wire.log), "\n".join(wire.log)
    assert wire.round_trips <= GOAL - 1, "\n".join(wire.log)


def test_a_keyed_stage_update_waits_once_more_for_its_key(postgres_api: Api) -> None:
    """The key is looked up before the use case runs: a retry must not act again."""
    postgres_api.create_order("SO-W")
    postgres_api.create_order()
    wire = _count(postgres_api, {"status": "in_progress"}, {"Idempotency-Key": "trip-1"})
    assert wire.round_trips <= GOAL + 1, "\n".join(wire.log)


def test_a_batched_stage_update_waits_no_more_for_its_savepoint(postgres_api: Api) -> None:
    """Inside a batch each use case has its savepoint; SAVEPOINT and RELEASE go with its other
    statements, and its writes with the next use case's reads, so it waits for its reads only."""
    from app.domain.access import SYSTEM
    from app.models.order import StageUpdateIn
    from app.services.stage_updates import apply_stage_update

    ctx = postgres_api.client.app.state.ctx  # type: ignore[attr-defined]
    references = ["SO-B1", "SO-B2", "SO-B3"]
    for reference in ["SO-W", *references]:
        postgres_api.create_order(reference)
    postgres_api.update("SO-W", "assembly", internal_note="warm")
    time.sleep(0.5)
    now = postgres_api.clock.now()

    def note(reference: str):  # type: ignore[no-untyped-def]
        body = StageUpdateIn(internal_note=f"checked {reference}")
        return lambda session: apply_stage_update(
            session, reference, "assembly", body, SYSTEM, now, ctx.view, lean=True
        )

    async def run_together() -> list[object]:
        return await asyncio.gather(*(ctx.writer.run(note(r)) for r in references))

    batches = ctx.writer.batches
    with traced(ctx.db.write_engine) as wire:
        results = postgres_api.client.portal.call(run_together)  # type: ignore[union-attr]
    assert ctx.writer.batches == batches + 1, "the three use cases ran in one batch"
    assert not any(isinstance(r, BaseException) for r in results)
    # Per use case: its reads; per batch: the numbering, COMMIT.
    assert wire.round_trips <= len(references) + 2, "\n".join(wire.log)
    for reference in references:
        assert postgres_api.order(reference)["stages"][0]["internal_note"] == f"checked {reference}"
