"""Retention: what has outlived its keeping is removed, a small batch per transaction.

- Idempotency records: ``NEXTDESK_RETAIN_IDEMPOTENCY_HOURS`` after they were made.
- Webhook deliveries and their attempts: ``NEXTDESK_RETAIN_DELIVERIES_DAYS`` after they finished.
  A pending delivery is never removed, however old.
- Events: kept for ever unless ``NEXTDESK_RETAIN_EVENTS_DAYS`` is set; then the events older than
  that of orders closed (done or cancelled) for longer than that. Readers behind what was
  removed are told to reset (``app.events.log_window``).

Each batch is one use case that removes at most ``NEXTDESK_PRUNE_BATCH_SIZE`` rows of one kind,
so the writer runs other writes between batches (``app.pruner``), and ``nextdesk prune`` runs
them one transaction each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from app.config import Settings
from app.db import Database, Session
from app.events.retention import prune_deliveries, prune_events
from app.services.idempotency import prune_records
from app.writer import run_use_case


class Kind(StrEnum):
    IDEMPOTENCY_RECORDS = "idempotency_records"
    WEBHOOK_DELIVERIES = "webhook_deliveries"
    WEBHOOK_ATTEMPTS = "webhook_attempts"
    EVENTS = "events"


@dataclass(frozen=True)
class RetentionPolicy:
    idempotency: timedelta
    deliveries: timedelta
    #: None: events are kept for ever.
    events: timedelta | None
    batch_size: int

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        return cls(
            idempotency=timedelta(hours=settings.retain_idempotency_hours),
            deliveries=timedelta(days=settings.retain_deliveries_days),
            events=timedelta(days=settings.retain_events_days) if settings.retain_events_days else None,
            batch_size=settings.prune_batch_size,
        )


@dataclass
class PruneReport:
    removed: dict[Kind, int] = field(default_factory=lambda: dict.fromkeys(Kind, 0))
    #: Whether a batch came back full, so that more may be waiting.
    more: bool = False

    def add(self, other: PruneReport) -> None:
        for kind, count in other.removed.items():
            self.removed[kind] += count
        self.more = self.more or other.more

    def total(self) -> int:
        return sum(self.removed.values())


def _report(policy: RetentionPolicy, first: int, **removed: int) -> PruneReport:
    report = PruneReport(more=first == policy.batch_size)
    for kind, count in removed.items():
        report.removed[Kind(kind)] = count
    return report


def idempotency_batch(session: Session, now: datetime, policy: RetentionPolicy) -> PruneReport:
    removed = prune_records(session, now - policy.idempotency, policy.batch_size)
    return _report(policy, removed, idempotency_records=removed)


def deliveries_batch(session: Session, now: datetime, policy: RetentionPolicy) -> PruneReport:
    deliveries, attempts = prune_deliveries(session, now - policy.deliveries, policy.batch_size)
    return _report(policy, deliveries, webhook_deliveries=deliveries, webhook_attempts=attempts)


def events_batch(session: Session, now: datetime, policy: RetentionPolicy) -> PruneReport:
    if policy.events is None:
        return PruneReport()
    removed = prune_events(session, now - policy.events, policy.batch_size)
    return _report(policy, removed, events=removed)


Batch = Callable[[Session, datetime, RetentionPolicy], PruneReport]

#: One batch of each kind, in the order a pass runs them.
BATCHES: tuple[Batch, ...] = (idempotency_batch, deliveries_batch, events_batch)


def batch_at(batch: Batch, now: datetime, policy: RetentionPolicy) -> Callable[[Session], PruneReport]:
    """``batch`` as a use case for the writer."""

    def run(session: Session) -> PruneReport:
        return batch(session, now, policy)

    return run


def prune_all(db: Database, now: datetime, policy: RetentionPolicy) -> PruneReport:
    """Every batch due at ``now``, one transaction each (``nextdesk prune``, tools)."""
    total = PruneReport()
    for batch in BATCHES:
        while True:
            report, _ = run_use_case(db, batch_at(batch, now, policy))
            total.add(report)
            if not report.more:
                break
    total.more = False
    return total
