"""The in-process fan-out on its own: encode once, match filters, never let a slow subscriber block."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from app.config import Settings
from app.db import Database
from app.events.broker import Broker
from app.events.queries import EventFilter
from app.events.subscription import Subscription
from app.models.event import Event
from tests.databases import SqliteTemplate

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def _event(event_id: int, type: str = "stage.started", subject: str = "SO-1") -> Event:
    return Event(
        id=event_id, type=type, subject=subject, department="assembly", time=NOW, data={"n": event_id}
    )


def _with_broker(sqlite_template: SqliteTemplate, queue_size: int, scenario) -> None:  # type: ignore[no-untyped-def]
    db = Database(Settings(database_url=sqlite_template.fresh_url(), _env_file=None))  # type: ignore[call-arg]

    async def run() -> None:
        broker = Broker(db, source="/nextdesk", queue_size=queue_size)
        await broker.start()
        try:
            await scenario(broker)
        finally:
            await broker.stop()

    try:
        asyncio.run(run())
    finally:
        db.dispose()


def _ids(sub: Subscription) -> list[int]:
    return [event_id for event_id, _ in sub.take()]


def test_a_subscriber_that_falls_behind_is_dropped_and_the_others_get_everything(
    sqlite_template: SqliteTemplate,
) -> None:
    async def scenario(broker: Broker) -> None:
        slow = broker.subscribe(EventFilter())
        fast = broker.subscribe(EventFilter())
        received: list[int] = []
        for n in range(1, 8):
            broker.on_commit([_event(n)])
            received += _ids(fast)
        assert received == [1, 2, 3, 4, 5, 6, 7]
        assert slow.closed is not None
        assert slow.closed.reason == "overflow"
        # What it had queued is still delivered; the client resumes after the last of it.
        assert _ids(slow) == [1, 2, 3]
        assert broker.subscribers == 1
        assert broker.last_published == 7

    _with_broker(sqlite_template, 3, scenario)


def test_each_event_is_encoded_once_for_all_matching_subscribers(sqlite_template: SqliteTemplate) -> None:
    async def scenario(broker: Broker) -> None:
        subs = [
            broker.subscribe(EventFilter()),
            broker.subscribe(EventFilter(order="SO-1")),
            broker.subscribe(EventFilter(types=("stage.*",))),
            broker.subscribe(EventFilter(types=("order.created",))),
            broker.subscribe(EventFilter(order="SO-2")),
        ]
        broker.on_commit([_event(1), _event(2, type="order.created", subject="SO-2")])
        queued = [sub.take() for sub in subs]
        assert [[event_id for event_id, _ in q] for q in queued] == [[1, 2], [1], [1], [2], [2]]
        frames_of_1 = [frame for q in queued for event_id, frame in q if event_id == 1]
        assert all(frame is frames_of_1[0] for frame in frames_of_1)
        assert frames_of_1[0].startswith(b"id: 1\nevent: stage.started\ndata: {")

    _with_broker(sqlite_template, 100, scenario)


def test_events_already_published_or_out_of_sequence_are_not_published_from_memory(
    sqlite_template: SqliteTemplate,
) -> None:
    async def scenario(broker: Broker) -> None:
        sub = broker.subscribe(EventFilter())
        broker.on_commit([_event(1), _event(2)])
        broker.on_commit([_event(2)])  # seen already (e.g. announced by NOTIFY first)
        # 3 is missing: only the log can say what comes before 4, so nothing is sent from memory.
        broker.on_commit([_event(4)])
        assert _ids(sub) == [1, 2]
        assert broker.last_published == 2

    _with_broker(sqlite_template, 100, scenario)


def test_events_the_replay_already_sent_are_not_queued_again_when_published_late(
    sqlite_template: SqliteTemplate,
) -> None:
    async def scenario(broker: Broker) -> None:
        sub = broker.subscribe(EventFilter())
        # The stream's replay read the log up to 2 before the fan-out published 1 to 3.
        sub.last_sent = 2
        broker.on_commit([_event(1), _event(2), _event(3)])
        assert _ids(sub) == [3]

    _with_broker(sqlite_template, 100, scenario)


def test_with_nobody_subscribed_other_replicas_commits_are_not_read_and_the_next_subscriber_starts_there(
    sqlite_template: SqliteTemplate,
) -> None:
    async def scenario(broker: Broker) -> None:
        # Another replica committed up to 40, this one 41 and 42: nobody listens, nothing is read.
        broker.notified(40)
        broker.on_commit([_event(41), _event(42)])
        await asyncio.sleep(0.05)
        assert broker.catch_up_reads == 0
        assert broker.last_published == 42
        assert broker.events_published == 42
        # A subscriber from now on gets what comes next, straight from the commit.
        sub = broker.subscribe(EventFilter())
        broker.on_commit([_event(43)])
        assert _ids(sub) == [43]
        # With a subscriber, another replica's commit is read from the log.
        broker.notified(44)
        await asyncio.sleep(0.2)
        assert broker.catch_up_reads == 1

    _with_broker(sqlite_template, 100, scenario)
