"""The writer's connection on PostgreSQL holds back what needs no answer, and sends it in one trip.

A statement whose rows are not read (an UPDATE, an INSERT without RETURNING) is queued on the
connection instead of being sent; the next statement whose rows are read takes the queue along
in one pipeline (psycopg's pipeline mode), as does COMMIT (app/db.py). A use case then waits
for the database once per read, not once per statement. Where a connection does not queue
(SQLite, the read engine), nothing is held back: :func:`queue_of` answers ``None``.

This module knows SQL text and DB-API parameters only; compiling statements and processing
their values is the repositories' business (app/repositories/statements.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlmodel import Session


class QueuedRead:
    """A read held back with the queue; once the queue has gone, its cursor holds the rows."""

    __slots__ = ("cursor",)

    def __init__(self) -> None:
        self.cursor: Any = None


#: What one queued item is: (sql, parameters, how) where ``how`` is False (execute), True
#: (executemany) or the QueuedRead whose cursor is kept.
Item = tuple[str, Any, "bool | QueuedRead"]

#: What each queueing connection holds back, by the connection's id (with the connection, which
#: the transaction's end lets go of).
_QUEUED: dict[int, tuple[Any, list[Item]]] = {}


def queue_of(driver: Any) -> list[Item] | None:
    """What this DB-API connection holds back, or None where it does not queue."""
    hit = _QUEUED.get(id(driver))
    return hit[1] if hit is not None and hit[0] is driver else None


def start_queueing(driver: Any, first: str | None = None) -> None:
    """From now on, hold back what needs no answer on this (psycopg) connection."""
    _QUEUED[id(driver)] = (driver, [(first, None, False)] if first is not None else [])


def stop_queueing(driver: Any) -> None:
    """Forget what is queued (the transaction ended, or rolled back) and queue no more."""
    _QUEUED.pop(id(driver), None)


def queued(driver: Any) -> int:
    """How many statements are held back: a mark for :func:`drop_queued`."""
    queue = queue_of(driver)
    return 0 if queue is None else len(queue)


def drop_queued(driver: Any, mark: int) -> None:
    """Forget what was queued after ``mark`` (a savepoint rolled back with it)."""
    queue = queue_of(driver)
    if queue is not None:
        del queue[mark:]


def _send(driver: Any, items: Sequence[Item]) -> None:
    for sql, parameters, how in items:
        cursor = driver.cursor()
        if isinstance(how, QueuedRead):
            cursor.execute(sql, parameters)
            how.cursor = cursor
        elif how:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)


def send_queued(driver: Any, then: str | None = None) -> None:
    """Send what is queued (and ``then``, e.g. COMMIT) in one round trip."""
    queue = queue_of(driver)
    if not queue and then is None:
        return
    with driver.pipeline():
        _send(driver, queue or [])
        if queue:
            queue.clear()
        if then is not None:
            driver.cursor().execute(then)


def send_with(driver: Any, reads: Sequence[tuple[str, Any]]) -> list[Any]:
    """Send what is queued and ``reads`` in one round trip; the reads' cursors, to fetch from.

    The queued writes go first, then ``reads``, then the queued reads (which a use case asked
    for later: a ``FOR UPDATE`` among ``reads`` is taken before them). The rows are fetched once
    the pipeline has ended: its end is the one wait.
    """
    queue = queue_of(driver) or []
    later = [item for item in queue if isinstance(item[2], QueuedRead)]
    cursors = []
    with driver.pipeline():
        _send(driver, [item for item in queue if not isinstance(item[2], QueuedRead)])
        for sql, parameters in reads:
            cursor = driver.cursor()
            cursor.execute(sql, parameters)
            cursors.append(cursor)
        _send(driver, later)
        queue.clear()
    return cursors


def savepoint(driver: Any, sql: str) -> None:
    """Run a SAVEPOINT, RELEASE or ROLLBACK TO statement on the driver: where the connection
    queues, held back for the next round trip (nothing waits for its answer); else at once."""
    queue = queue_of(driver)
    if queue is not None:
        queue.append((sql, None, False))
        return
    cursor = driver.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def holds(driver: Any, mark: int, sql: str) -> bool:
    """Whether the statement queued at ``mark`` is still held back (it was ``sql``)."""
    queue = queue_of(driver)
    return queue is not None and len(queue) > mark and queue[mark][0] == sql


_DRIVER = "nextdesk.driver"


def driver_of(session: Session) -> tuple[Any, Dialect]:
    """The DB-API connection under the session's current transaction, and its dialect."""
    # Asked for by every statement of a use case, and the session's own lookup is not free.
    # The connection is released (closed) when the session's transaction ends.
    hit: tuple[Connection, Any, Dialect] | None = session.info.get(_DRIVER)
    if hit is None or hit[0].closed:
        conn = session.connection()
        hit = (conn, conn.connection.driver_connection, conn.dialect)
        session.info[_DRIVER] = hit
    return hit[1], hit[2]
