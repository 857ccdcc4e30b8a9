"""The single writer: every use case that changes state runs here.

Pending use cases are batched into one transaction (group commit), each inside its own
SAVEPOINT so that one failing use case rolls back alone. The batch commits once; only then
are the callers answered and what the use cases asked to announce (the events they appended)
handed to the commit hooks (the fan-out, the dispatcher). A use case never commits, so whether it
ran alone or in a batch is invisible to it.

The writer knows nothing of events: a use case hands it things to announce with
``announce_after_commit``, and a savepoint rolled back takes its announcements with it. Work that
must happen once per transaction, as late as possible (numbering the batch's events, whose lock
every other replica waits on), is handed over with ``finish_before_commit``: the writer runs it
after the last use case of the batch, right before COMMIT, and a savepoint rolled back takes its
share away too.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.db import Database
from app.domain.errors import Unavailable
from app.observability import WRITER_BATCHES, WRITER_FINISH_SECONDS, WRITER_JOBS
from app.pipeline import driver_of, drop_queued, holds, queued, send_queued
from app.pipeline import savepoint as pipeline_savepoint
from app.tasks import cancel_and_wait

T = TypeVar("T")
UseCase = Callable[[Session], T]
#: Called on the event loop with what the batch announced, in the order it was announced.
CommitHook = Callable[[list[Any]], None]
#: Called once per transaction, just before COMMIT, with every item the use cases handed it.
Finisher = Callable[[Session, list[Any]], None]

_ANNOUNCED = "nextdesk.announced_after_commit"
_FINISHING = "nextdesk.finish_before_commit"

log = logging.getLogger("nextdesk.writer")


def announce_after_commit(session: Session, items: list[Any]) -> None:
    """Hand ``items`` to the commit hooks once this session's transaction has committed."""
    session.info.setdefault(_ANNOUNCED, []).extend(items)


def _announced(session: Session) -> list[Any]:
    items: list[Any] = session.info.setdefault(_ANNOUNCED, [])
    return items


def finish_before_commit(session: Session, finisher: Finisher, item: Any, *, late: bool = False) -> None:
    """Have ``finisher`` called with ``item`` (and the batch's other items for it) just before COMMIT.

    ``late`` finishers run after the others: they write what the others settle (an answer that
    names the events numbered at the end).
    """
    session.info.setdefault(_FINISHING, []).append((finisher, item, late))


def _finishing(session: Session) -> list[tuple[Finisher, Any, bool]]:
    items: list[tuple[Finisher, Any, bool]] = session.info.setdefault(_FINISHING, [])
    return items


def _finish(session: Session) -> bool:
    """Run the finishers, each once, in the order they were first asked for; whether any ran."""
    groups: tuple[dict[Finisher, list[Any]], dict[Finisher, list[Any]]] = ({}, {})
    for finisher, item, late in _finishing(session):
        groups[late].setdefault(finisher, []).append(item)
    for group in groups:
        for finisher, items in group.items():
            finisher(session, items)
    return bool(groups[0] or groups[1])


@dataclass
class _Job:
    fn: UseCase[Any]
    future: asyncio.Future[Any]
    outcome: tuple[bool, Any] | None = None


@dataclass
class _BatchResult:
    events: list[Any] = field(default_factory=list)


def run_use_case(db: Database, fn: UseCase[T]) -> tuple[T, list[Any]]:
    """Run one use case in its own transaction, outside the writer (CLI, demo loader, tools)."""
    session = db.write_session()
    try:
        with session.begin():
            value = fn(session)
            _finish(session)
        return value, list(_announced(session))
    finally:
        session.close()


class Writer:
    def __init__(self, db: Database, *, max_batch: int = 64, inline: bool = False) -> None:
        self.db = db
        self.max_batch = max_batch
        #: Run batches on the event loop itself. Where the database is on this machine a batch's
        #: waits are short, and a thread costs more than it frees: the GIL changes hands at every
        #: round trip (measured: bench/RESULTS.md). Across a network the waits would stall the
        #: event loop, so the batch runs in the writer thread (Settings.writer_inline).
        self.inline = inline
        self.hooks: list[CommitHook] = []
        self._queue: asyncio.Queue[_Job] | None = None
        self._task: asyncio.Task[None] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self.batches = 0
        self.jobs = 0

    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    def on_commit(self, hook: CommitHook) -> None:
        self.hooks.append(hook)

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        # One thread: SQLite has one write lock, and one writer never waits on another.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nextdesk-writer")
        self._task = asyncio.create_task(self._run(), name="nextdesk-writer")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        if self._queue is not None:
            while not self._queue.empty():
                job = self._queue.get_nowait()
                if not job.future.done():
                    job.future.set_exception(Unavailable("the service is shutting down; retry"))
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    async def run(self, fn: UseCase[T]) -> T:
        if self._queue is None:
            raise RuntimeError("the writer is not running")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(fn, future))
        return await future

    async def _run(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                if self.inline:
                    result = self._run_batch(batch)
                else:
                    result = await loop.run_in_executor(self._executor, self._run_batch, batch)
            except Exception as exc:  # a bug in the writer itself: fail the batch, keep serving
                log.exception("writer batch failed")
                for job in batch:
                    if not job.future.done():
                        job.future.set_exception(exc)
                continue
            self.batches += 1
            self.jobs += len(batch)
            WRITER_BATCHES.inc()
            WRITER_JOBS.inc(len(batch))
            for job in batch:
                if job.future.done() or job.outcome is None:
                    continue
                ok, value = job.outcome
                if ok:
                    job.future.set_result(value)
                else:
                    job.future.set_exception(value)
            if result.events:
                for hook in self.hooks:
                    try:
                        hook(result.events)
                    except Exception:
                        log.exception("post-commit hook failed")

    def _run_batch(self, batch: list[_Job]) -> _BatchResult:
        result = self._try_batch(batch)
        if result is not None:
            return result
        # What the batch left to its end (numbering its events, ...) failed, so nothing of it
        # committed. Each use case runs again alone: the one at fault fails by itself, and the
        # others commit as if it had never been their batch mate.
        events: list[Any] = []
        for job in batch:
            job.outcome = None
            events.extend((self._try_batch([job]) or _BatchResult()).events)
        return _BatchResult(events=events)

    def _try_batch(self, batch: list[_Job]) -> _BatchResult | None:
        """Run and commit the batch; ``None`` when its end failed and a batch of several should be split."""
        session = self.db.write_session()
        try:
            transaction = session.begin()
            try:
                if len(batch) == 1:
                    self._run_alone(session, batch[0])
                else:
                    for index, job in enumerate(batch):
                        self._run_in_savepoint(session, job, index)
            except _SoleJobFailed:
                transaction.rollback()
                return _BatchResult()
            except _BatchBroken as exc:
                # A write one use case held back was refused in another's round trip: which one
                # is at fault is not known here. Nothing of the batch stays; each runs alone.
                log.warning("a batch of %d broke, running each alone: %s", len(batch), exc.__cause__)
                transaction.rollback()
                return None
            if not any(job.outcome and job.outcome[0] for job in batch):
                transaction.rollback()
                return _BatchResult()
            started = time.perf_counter()
            try:
                finished = _finish(session)
                transaction.commit()
            except OperationalError as exc:
                log.warning("commit failed: %s", exc)
                for job in batch:
                    job.outcome = (
                        False,
                        Unavailable("the database did not accept the write; nothing was changed, retry"),
                    )
                return _BatchResult()
            except Exception as exc:
                if len(batch) > 1:
                    log.warning("the end of a batch of %d failed, running each alone: %s", len(batch), exc)
                    return None
                batch[0].outcome = (False, exc)
                return _BatchResult()
            if finished:
                # From the first finisher to the end of COMMIT: the span other writers wait for
                # the event numbering lock.
                WRITER_FINISH_SECONDS.observe(time.perf_counter() - started)
            return _BatchResult(events=list(_announced(session)))
        finally:
            session.close()

    @staticmethod
    def _run_alone(session: Session, job: _Job) -> None:
        try:
            value = job.fn(session)
            session.flush()
        except Exception as exc:
            job.outcome = (False, exc)
            raise _SoleJobFailed from exc
        job.outcome = (True, value)

    @staticmethod
    def _run_in_savepoint(session: Session, job: _Job, index: int) -> None:
        appended = _announced(session)
        finishing = _finishing(session)
        mark, finish_mark = len(appended), len(finishing)
        # The savepoint is the driver's: the repositories' statements run there, past the
        # session (app/repositories/statements.py), and SQLAlchemy would send its own SAVEPOINT
        # only when the session next asks for its connection. Sent by hand it costs no compiled
        # statement, and on PostgreSQL no round trip: it is held back with the use case's
        # statements (app/pipeline.py). The session's nested transaction still keeps the use
        # case's ORM state apart; should the use case ask the session for its connection,
        # SQLAlchemy opens its own savepoint inside this one. Each use case of the batch names
        # its own, so a ROLLBACK TO never reaches a batch mate's.
        name = f"nextdesk_use_case_{index}"
        driver = driver_of(session)[0]
        opened_at = queued(driver)
        pipeline_savepoint(driver, f"SAVEPOINT {name}")
        queued_mark = queued(driver)
        nested = session.begin_nested()
        try:
            value = job.fn(session)
            session.flush()
        except Exception as exc:
            still_held = holds(driver, opened_at, f"SAVEPOINT {name}")
            # What the use case wrote and the driver still holds back goes with the savepoint.
            drop_queued(driver, opened_at if still_held else queued_mark)
            try:
                nested.rollback()
                if not still_held:
                    # At once: the next use case must find the transaction as it was before this
                    # one. Should the savepoint never have been reached (a batch mate's held-back
                    # write was refused before it, in the same round trip), this fails.
                    pipeline_savepoint(driver, f"ROLLBACK TO SAVEPOINT {name}")
                    send_queued(driver)
                    pipeline_savepoint(driver, f"RELEASE SAVEPOINT {name}")
            except Exception as broken:
                raise _BatchBroken from broken
            del appended[mark:]
            del finishing[finish_mark:]
            job.outcome = (False, exc)
            return
        # On PostgreSQL what the use case wrote is still held back: it goes with the next use
        # case's first read, or with the batch's end. Should the database refuse it there, the
        # batch is run again one use case at a time (``_BatchBroken`` above, or the end failing).
        nested.commit()
        pipeline_savepoint(driver, f"RELEASE SAVEPOINT {name}")
        job.outcome = (True, value)


class _BatchBroken(Exception):
    """The batch's transaction can no longer tell one use case's writes from another's."""


class _SoleJobFailed(Exception):
    """Rolls back a batch of one without a savepoint."""
