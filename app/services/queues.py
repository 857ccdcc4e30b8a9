"""The desk's queues: at risk, overdue stages, to tell, recently updated."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.db import Session
from app.domain.attention import differs_from_told, still_to_tell
from app.domain.derivation import silence_of
from app.domain.durations import StageDurations
from app.domain.significance import Significance
from app.domain.silence import missed_deadline
from app.events.queries import events_by_id
from app.models.queues import News, OverdueStage, QueueItem, Queues, Waiting
from app.repositories.orders import OrderRecord, order_from_row
from app.repositories.orders import queues as reads
from app.services.durations import DEFAULT_MIN_SAMPLES, durations_for
from app.services.flows import load_flow
from app.services.orders import summaries
from app.services.requests import orders_waiting

DEFAULT_LIMIT = 50
RECENT_LIMIT = 10


def _items(session: Session, rows: Sequence[OrderRecord], now: datetime) -> list[QueueItem]:
    return [QueueItem(order=s) for s in summaries(session, rows, now)]


def at_risk(session: Session, now: datetime, limit: int) -> list[QueueItem]:
    return _items(session, reads.at_risk(session, now, limit), now)


def overdue(
    session: Session, now: datetime, limit: int, min_samples: int = DEFAULT_MIN_SAMPLES
) -> list[QueueItem]:
    # The stages that could be silent past a deadline, read cheaply; the rule itself
    # (silence.missed_deadline) then decides, with each stage's own duration model, exactly as
    # the status view and the sweeper do.
    candidates = reads.maybe_silent(session, now)
    late_stages: dict[int, list[OverdueStage]] = defaultdict(list)
    oldest: dict[int, datetime] = {}
    models: dict[str, dict[str, StageDurations]] = {}
    for stage, flow_key in candidates:
        if flow_key not in models:
            models[flow_key] = durations_for(session, load_flow(session, flow_key), min_samples, cached=True)
        found = missed_deadline(silence_of(stage, models[flow_key].get(stage.key)), now)
        if found is None:
            continue
        late_stages[stage.order_id].append(
            OverdueStage(
                stage=stage.key,
                name=stage.name,
                department=stage.department,
                status=stage.status,
                missed="update" if found.missed == "next_update_by" else "finish",
                due_at=found.deadline,
                last_update_at=stage.last_update_at,
            )
        )
        oldest[stage.order_id] = min(found.deadline, oldest.get(stage.order_id, found.deadline))
    # Longest silence first: that customer has waited longest for news.
    ids = sorted(oldest, key=lambda i: oldest[i])[:limit]
    by_id = reads.orders_by_id(session, ids)
    items = _items(session, [by_id[i] for i in ids], now)
    for item, order_id in zip(items, ids, strict=True):
        item.overdue = late_stages[order_id]
    return items


def _differs(row: Any, now: datetime, rule: Significance) -> bool:
    order = order_from_row(row)
    return differs_from_told(
        ever_told=row["covered"] is not None,
        at_risk=order.at_risk or order.promised_at < now,
        told_likely_at=order.told_likely_at,
        likely_at=order.eta_likely_at,
        promised_at=order.promised_at,
        told_amount=order.told_amount,
        estimated=order.estimated_amount,
        quoted=order.quoted_amount,
        rule=rule,
    )


def to_tell(session: Session, now: datetime, limit: int, rule: Significance | None = None) -> list[QueueItem]:
    rule = rule or Significance()
    # News since the last acknowledgement that has since been undone (the ETA back to the day
    # told, the cost back within the threshold) is nothing to call about; that test needs the
    # desk's zone, so it runs here, page by page, until the queue is full.
    page = max(limit * 2, 100)
    rows: list[Any] = []
    offset = 0
    while len(rows) < limit:
        batch = reads.news_to_tell(session, limit=page, offset=offset)
        rows.extend(
            r for r in batch if still_to_tell(r["last_news"], r["covered"]) and _differs(r, now, rule)
        )
        if len(batch) < page:
            break
        offset += page
    rows = rows[:limit]
    events = events_by_id(session, [r["last_news"] for r in rows])
    items = _items(session, [order_from_row(r) for r in rows], now)
    for item, row in zip(items, rows, strict=True):
        event = events[row["last_news"]]
        item.news = News(event_id=event.id, type=event.type, at=event.time, data=event.data)
        item.last_acknowledged_at = row["told_at"]
    return items


def waiting_on_back_office(session: Session, now: datetime, limit: int) -> list[QueueItem]:
    waiting = orders_waiting(session)
    far = datetime.max.replace(tzinfo=now.tzinfo)
    ids = sorted(waiting, key=lambda i: (waiting[i].answer_by or far, i))[:limit]
    by_id = reads.orders_by_id(session, ids)
    ids = [i for i in ids if i in by_id]
    items = _items(session, [by_id[i] for i in ids], now)
    for item, order_id in zip(items, ids, strict=True):
        entry = waiting[order_id]
        item.waiting = Waiting(
            requests=len(entry.requests), departments=sorted(entry.departments), answer_by=entry.answer_by
        )
    return items


def recently_updated(session: Session, now: datetime, limit: int) -> list[QueueItem]:
    return _items(session, reads.recently_updated(session, limit), now)


def queues(
    session: Session,
    now: datetime,
    limit: int = DEFAULT_LIMIT,
    min_samples: int = DEFAULT_MIN_SAMPLES,
    rule: Significance | None = None,
) -> Queues:
    return Queues(
        at_risk=at_risk(session, now, limit),
        overdue=overdue(session, now, limit, min_samples),
        to_tell=to_tell(session, now, limit, rule),
        waiting_on_back_office=waiting_on_back_office(session, now, limit),
        recently_updated=recently_updated(session, now, min(limit, RECENT_LIMIT)),
        generated_at=now,
    )
