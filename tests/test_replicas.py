"""Two real replicas on one PostgreSQL database: every commit reaches every replica's stream."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import psycopg
import pytest

from app.config import Settings
from app.events.listener import LogListener
from app.events.notify import libpq_conninfo
from app.main import create_app
from tests.live import LiveServer, serve
from tests.stream_support import LiveApi, stream, stream_settings
from tests.support import Keys, make_keys, wait_until


@pytest.fixture
def replicas(settings: Settings) -> Iterator[tuple[LiveServer, LiveServer]]:
    if settings.is_sqlite:
        pytest.skip("several replicas need PostgreSQL: SQLite serves one process, whose own commits suffice")
    # A long pause before the listener reconnects leaves time to write while it is away.
    replica_settings = stream_settings(settings, event_listener_retry_seconds=1.5)
    with ExitStack() as stack:
        a = stack.enter_context(serve(create_app(replica_settings)))
        b = stack.enter_context(serve(create_app(replica_settings)))
        yield a, b


@pytest.fixture
def keys(replicas: tuple[LiveServer, LiveServer]) -> Keys:
    return make_keys(replicas[0].app.state.ctx)


def _api(server: LiveServer, keys: Keys) -> LiveApi:
    return LiveApi(server.url, keys)


def test_an_update_through_one_replica_reaches_a_subscriber_of_the_other(
    replicas: tuple[LiveServer, LiveServer], keys: Keys
) -> None:
    a, b = replicas
    api_a = _api(a, keys)
    with stream(b.url, keys.agent, params={"order": "SO-1"}) as on_b:
        api_a.create_order("SO-1")
        api_a.update("SO-1", "assembly", status="in_progress", customer_note="Assembly has started.")
        logged = api_a.log_ids(order="SO-1")
        received = on_b.wait_for_id(logged[-1])
    assert [m.id for m in received] == logged
    assert received[-1].event == "stage.started"
    assert received[-1].data["data"]["customer_note"] == "Assembly has started."
    api_a.client.close()


def test_writes_through_both_replicas_reach_both_streams_once_each_in_order(
    replicas: tuple[LiveServer, LiveServer], keys: Keys
) -> None:
    a, b = replicas

    def write(server: LiveServer, prefix: str) -> None:
        api = _api(server, keys)
        for n in range(10):
            api.create_order(f"{prefix}-{n}")
            api.update(f"{prefix}-{n}", "assembly", status="in_progress")
        api.client.close()

    with stream(a.url, keys.viewer, last_event_id=0) as on_a, stream(b.url, keys.viewer) as on_b:
        writers = [threading.Thread(target=write, args=(s, p)) for s, p in ((a, "A"), (b, "B"))]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join(30)
        api = _api(a, keys)
        everything = api.log_ids()
        on_a.wait_for_id(everything[-1])
        on_b.wait_for_id(everything[-1])
        api.client.close()
    assert on_a.ids == everything == list(range(1, len(everything) + 1))
    # B subscribed without a cursor before any write: live delivery alone brought it all.
    assert on_b.ids == everything
    assert {m.data["subject"][0] for m in on_b.events} == {"A", "B"}


def test_a_dropped_listener_reconnects_and_catches_up_from_the_log(
    replicas: tuple[LiveServer, LiveServer], keys: Keys, settings: Settings
) -> None:
    a, b = replicas
    listener: LogListener = b.app.state.ctx.components["event_listener"]
    api_a = _api(a, keys)
    api_a.create_order("SO-1")
    before = api_a.log_ids(order="SO-1")
    with stream(b.url, keys.viewer, params={"order": "SO-1"}) as on_b:
        api_a.update("SO-1", "assembly", status="in_progress")
        on_b.wait_until(lambda ms: any(m.event == "stage.started" for m in ms))
        assert listener.connections == 1
        pid = listener.backend_pid
        assert pid is not None
        # The database loses the listening connection (a restart, a network cut, an admin).
        with psycopg.connect(libpq_conninfo(settings.database_url), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        wait_until(lambda: not listener.connected, what="the listener to drop")
        # Committed while nobody on B listens: its NOTIFY is lost, the log keeps the events.
        api_a.update("SO-1", "assembly", status="blocked", reason="waiting_parts")
        assert not listener.connected, "the write should land while the listener is away"
        logged = api_a.log_ids(order="SO-1")
        on_b.wait_for_id(logged[-1])
        assert listener.connections == 2
        assert listener.backend_pid != pid
    assert on_b.ids == [i for i in logged if i not in before]
    assert on_b.events[-1].event == "stage.blocked"
    api_a.client.close()


def test_a_reader_paging_during_writes_on_both_replicas_never_misses_an_event(
    replicas: tuple[LiveServer, LiveServer], keys: Keys
) -> None:
    """Numbers are taken at the end of each batch: none may commit below what a reader has passed."""
    a, b = replicas
    writing = threading.Event()
    writing.set()
    failures: list[str] = []

    def write(server: LiveServer, prefix: str) -> None:
        api = _api(server, keys)
        try:
            for n in range(8):
                reference = f"{prefix}-{n}"
                api.create_order(reference)
                for status in ("in_progress", "blocked", "in_progress", "done"):
                    extra = {"reason": "waiting_parts"} if status == "blocked" else {}
                    api.update(reference, "assembly", status=status, **extra)
        except AssertionError as exc:  # pragma: no cover - reported below
            failures.append(f"{prefix}: {exc}")
        finally:
            api.client.close()

    seen: list[int] = []

    def read() -> None:
        # A pull consumer on replica B, paging with small pages as fast as it can.
        api = _api(b, keys)
        after = 0
        try:
            while True:
                # Looked at before the page is asked for: an empty page then comes after every write.
                writers_done = not writing.is_set()
                page = [int(e["id"]) for e in api.events(after=after, limit=7)]
                seen.extend(page)
                if page:
                    after = page[-1]
                elif writers_done:
                    return
        finally:
            api.client.close()

    writers = [
        threading.Thread(target=write, args=(server, f"{server_name}{n}"))
        for server, server_name in ((a, "A"), (b, "B"))
        for n in range(3)
    ]
    reader = threading.Thread(target=read)
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(120)
    writing.clear()
    reader.join(30)
    assert not failures
    api = _api(a, keys)
    everything = api.log_ids()
    api.client.close()
    assert len(everything) >= 6 * 8 * 6, "every order made and moved through its stage"
    assert everything == list(range(1, len(everything) + 1))
    # Whatever a later page held, no event committed afterwards under a number the reader had passed.
    assert seen == everything


def _wait(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)
