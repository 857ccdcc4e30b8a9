"""Silence is news: when has a stage gone quiet past a moment it should have spoken by?

A stage owes word by its ``next_update_by``, and by its expected finish: the technician's
revised finish when there is one, else the latest finish its duration model gave when it became
ready (the 90th percentile: passing the median is common and not yet news). A deadline counts
only if nothing was heard from the stage after it was set, that is if the stage's last update
came before it. Each deadline that passes is one lapse, reported once.

This is the one rule for "overdue": the status view, the desk's queue (and so its Overdue
column), the workbench and the sweeper all ask `missed_deadline` / `is_overdue` / `lapse`, with
the same duration model, so they cannot disagree about which stages are silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.calendar import ALWAYS, WorkingCalendar
from app.domain.stage_machine import CURRENT, StageStatus


@dataclass(frozen=True)
class StageSilence:
    key: str
    status: StageStatus
    last_update_at: datetime | None
    next_update_by: datetime | None
    revised_finish_at: datetime | None
    ready_at: datetime | None
    latest_minutes: float
    #: The deadline whose lapse was already reported.
    overdue_for: datetime | None
    #: The latest finish is working minutes of the stage's calendar after it became ready.
    calendar: WorkingCalendar = ALWAYS


@dataclass(frozen=True)
class Lapse:
    key: str
    deadline: datetime
    #: "next_update_by" or "expected_finish".
    missed: str


def deadlines(stage: StageSilence) -> list[tuple[datetime, str]]:
    if stage.status not in CURRENT:
        return []
    found: list[tuple[datetime, str]] = []
    if stage.next_update_by is not None:
        found.append((stage.next_update_by, "next_update_by"))
    if stage.revised_finish_at is not None:
        found.append((stage.revised_finish_at, "expected_finish"))
    elif stage.ready_at is not None:
        found.append((stage.calendar.add(stage.ready_at, stage.latest_minutes), "expected_finish"))
    heard = stage.last_update_at
    return sorted(d for d in found if heard is None or d[0] > heard)


def lapse(stage: StageSilence, now: datetime) -> Lapse | None:
    """The latest deadline that has passed in silence and was not reported yet, if any."""
    passed = [d for d in deadlines(stage) if d[0] <= now]
    if not passed:
        return None
    deadline, missed = passed[-1]
    if stage.overdue_for is not None and deadline <= stage.overdue_for:
        return None
    return Lapse(stage.key, deadline, missed)


def next_deadline(stage: StageSilence, now: datetime) -> datetime | None:
    """When this stage next needs looking at: a lapse not yet reported is due now."""
    if lapse(stage, now) is not None:
        return now
    return min((d for d, _ in deadlines(stage) if d > now), default=None)


def missed_deadline(stage: StageSilence, now: datetime) -> Lapse | None:
    """The first deadline the stage has passed in silence, reported or not: silent since then."""
    passed = [d for d in deadlines(stage) if d[0] <= now]
    if not passed:
        return None
    deadline, missed = passed[0]
    return Lapse(stage.key, deadline, missed)


def is_overdue(stage: StageSilence, now: datetime) -> bool:
    """Whether the stage is silent past a deadline right now (reported or not)."""
    return missed_deadline(stage, now) is not None
