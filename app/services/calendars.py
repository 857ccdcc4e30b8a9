"""Working calendars: define, change, read; and which calendar each stage of a flow works by.

A stage's calendar is the one its flow names for it, else the one naming its department, else
the plain clock (`always`): planned minutes written before calendars existed meant wall-clock
minutes, and reading them as office hours would silently stretch every existing plan (480 planned
minutes would become a working day). Name `default` on a stage, or list a department on it, to
plan that work in office hours.

Calendars are read on every estimate, so a parsed book of them is kept per database and dropped
whenever one is written here; another process sees a change within CACHE_SECONDS.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.db import Database, Session
from app.domain.calendar import (
    ALWAYS_KEY,
    DEFAULT_KEY,
    WEEKDAYS,
    Period,
    WorkingCalendar,
    always,
    parse_clock,
)
from app.domain.errors import Conflict, NotFound, Unprocessable
from app.models.calendar import (
    Calendar,
    CalendarCreate,
    CalendarFields,
    CalendarPatch,
    CalendarPublic,
    OpenDateIn,
    PeriodIn,
    WorkingTime,
)
from app.repositories import flows as configured
from app.repositories import stage_stats

CACHE_SECONDS = 5.0
#: Working minutes a single question may ask for: ten years of round-the-clock work.
MAX_MINUTES = 10 * 365 * 24 * 60


@dataclass(frozen=True)
class CalendarBook:
    """Every calendar of a database, parsed, and which department works by which."""

    by_key: Mapping[str, WorkingCalendar]
    by_department: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str | None) -> WorkingCalendar:
        if key is not None and key in self.by_key:
            return self.by_key[key]
        return self.by_key.get(DEFAULT_KEY) or always()

    def for_stage(self, calendar: str | None, department: str) -> WorkingCalendar:
        named = calendar or self.by_department.get(department)
        if named is None or named not in self.by_key:
            return self.by_key.get(ALWAYS_KEY) or always()
        return self.by_key[named]


def _periods(raw: list[dict[str, str]]) -> tuple[Period, ...]:
    found = []
    for p in raw:
        start, end = parse_clock(p["start"]), parse_clock(p["end"])
        # Stored periods were checked when written.
        assert start is not None
        assert end is not None
        found.append(Period(start, end))
    return tuple(sorted(found))


def parse(key: str, definition: Mapping[str, Any]) -> WorkingCalendar:
    week = {WEEKDAYS.index(day): _periods(periods) for day, periods in definition.get("week", {}).items()}
    return WorkingCalendar(
        key=key,
        zone=ZoneInfo(definition.get("timezone", "UTC")),
        week={d: p for d, p in week.items() if p},
        holiday_country=definition.get("holidays"),
        holiday_subdivision=definition.get("holiday_subdivision"),
        closed_dates=frozenset(date.fromisoformat(d) for d in definition.get("closed_dates", [])),
        open_dates={
            date.fromisoformat(entry["date"]): _periods(entry["periods"])
            for entry in definition.get("open_dates", [])
        },
    )


class _Cache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._books: dict[str, tuple[float, CalendarBook]] = {}
        #: Bumped by every write here: what is cached from learned windows keys on it.
        self.generation = 0

    def get(self, database: str) -> CalendarBook | None:
        with self._lock:
            entry = self._books.get(database)
            if entry is not None and time.monotonic() - entry[0] < CACHE_SECONDS:
                return entry[1]
            return None

    def put(self, database: str, book: CalendarBook) -> None:
        with self._lock:
            self._books[database] = (time.monotonic(), book)

    def drop(self, database: str) -> None:
        with self._lock:
            self._books.pop(database, None)
            self.generation += 1


_cache = _Cache()


def generation() -> int:
    return _cache.generation


def _database(session: Session) -> str:
    return str(session.get_bind().engine.url)


def calendar_book(session: Session) -> CalendarBook:
    database = _database(session)
    book = _cache.get(database)
    if book is not None:
        return book
    rows = configured.calendars(session)
    by_department: dict[str, str] = {}
    for row in rows:
        for department in row.definition.get("departments", []):
            by_department[department] = row.key
    book = CalendarBook({row.key: parse(row.key, row.definition) for row in rows}, by_department)
    _cache.put(database, book)
    return book


def _definition(fields: CalendarFields) -> dict[str, Any]:
    return fields.model_dump(mode="json", exclude={"key", "name"})


def _public(row: Calendar) -> CalendarPublic:
    d = row.definition
    week = d.get("week", {})
    return CalendarPublic(
        key=row.key,
        name=row.name,
        timezone=d.get("timezone", "UTC"),
        week={day: [PeriodIn(**p) for p in week[day]] for day in WEEKDAYS if week.get(day)},
        holidays=d.get("holidays"),
        holiday_subdivision=d.get("holiday_subdivision"),
        closed_dates=[date.fromisoformat(x) for x in d.get("closed_dates", [])],
        open_dates=[OpenDateIn.model_validate(x) for x in d.get("open_dates", [])],
        departments=list(d.get("departments", [])),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _field_problem(field_name: str, message: str) -> Unprocessable:
    return Unprocessable(
        message, errors=[{"loc": ["body", field_name], "msg": message, "type": "value_error"}]
    )


def _check(session: Session, key: str, definition: Mapping[str, Any]) -> None:
    """What one calendar alone cannot tell: departments claimed by another, no working time."""
    if not any(definition.get("week", {}).values()) and not definition.get("open_dates"):
        raise _field_problem("week", "a calendar needs some working time: give at least one period")
    if definition.get("holiday_subdivision") and not definition.get("holidays"):
        raise _field_problem("holiday_subdivision", "a holiday subdivision needs `holidays` (its country)")
    departments = definition.get("departments") or []
    if len(departments) != len(set(departments)):
        raise _field_problem("departments", "departments name a department twice")
    for row in configured.calendars(session, besides=key):
        shared = set(departments) & set(row.definition.get("departments", []))
        if shared:
            raise _field_problem(
                "departments",
                f"department {', '.join(sorted(shared))} already works by calendar '{row.key}'; "
                "a department has one calendar",
            )


def _relearn(session: Session, departments: set[str]) -> None:
    """Stages of departments that moved to another calendar measured their durations in the old
    one's minutes: their learned windows are emptied, and the plan stands until they refill."""
    if not departments:
        return
    for flow in configured.flows(session):
        moved = [
            s["key"]
            for s in flow.definition.get("stages", [])
            if s.get("department") in departments and not s.get("calendar")
        ]
        if moved:
            stage_stats.forget(session, flow.key, moved)


def create_calendar(session: Session, body: CalendarCreate, now: datetime) -> CalendarPublic:
    if session.get(Calendar, body.key) is not None:
        raise Conflict(
            f"a calendar '{body.key}' already exists; change it with PATCH /v1/calendars/{body.key}"
        )
    definition = _definition(body)
    definition.setdefault("departments", [])
    definition["departments"] = definition["departments"] or []
    definition["closed_dates"] = definition.get("closed_dates") or []
    definition["open_dates"] = definition.get("open_dates") or []
    _check(session, body.key, definition)
    row = Calendar(key=body.key, name=body.name, definition=definition, created_at=now, updated_at=now)
    _relearn(session, set(definition["departments"]))
    session.add(row)
    session.flush()
    _cache.drop(_database(session))
    return _public(row)


def patch_calendar(session: Session, key: str, body: CalendarPatch, now: datetime) -> CalendarPublic:
    row = _load(session, key)
    if key == ALWAYS_KEY:
        raise Conflict("calendar 'always' is the plain clock and cannot be changed; define another")
    given = body.model_dump(mode="json", exclude_unset=True)
    definition = dict(row.definition)
    for name, value in given.items():
        if name == "name":
            continue
        definition[name] = (
            [] if value is None and name in ("closed_dates", "open_dates", "departments") else value
        )
    if "week" in given and given["week"] is None:
        raise _field_problem("week", "week cannot be removed; give the working periods")
    if "timezone" in given and given["timezone"] is None:
        raise _field_problem("timezone", "timezone cannot be removed; give an IANA name")
    _check(session, key, definition)
    _relearn(session, set(definition.get("departments", [])) ^ set(row.definition.get("departments", [])))
    row.definition = definition
    if body.name is not None:
        row.name = body.name
    row.updated_at = now
    session.add(row)
    session.flush()
    _cache.drop(_database(session))
    return _public(row)


def _load(session: Session, key: str) -> Calendar:
    row = session.get(Calendar, key)
    if row is None:
        known = configured.calendar_keys(session, ordered=True)
        raise NotFound(f"no calendar '{key}'; known calendars: {', '.join(known) or 'none'}")
    return row


def list_calendars(session: Session) -> list[CalendarPublic]:
    return [_public(r) for r in configured.calendars(session, ordered=True)]


def get_calendar(session: Session, key: str) -> CalendarPublic:
    return _public(_load(session, key))


def known_calendar_keys(session: Session) -> set[str]:
    return set(calendar_book(session).by_key)


def working_time(session: Session, key: str, start: datetime, minutes: float) -> WorkingTime:
    _load(session, key)
    if not 0 <= minutes <= MAX_MINUTES:
        raise Unprocessable(
            f"minutes must be between 0 and {MAX_MINUTES}",
            errors=[{"loc": ["query", "minutes"], "msg": "out of range", "type": "value_error"}],
        )
    calendar = calendar_book(session).get(key)
    return WorkingTime(
        calendar=key,
        start=start,
        minutes=minutes,
        ends_at=calendar.add(start, minutes),
        working_now=calendar.is_working(start),
    )


def office_hours(session: Session) -> WorkingCalendar:
    """The hours quick picks count in: the `default` calendar, holidays included."""
    return calendar_book(session).get(DEFAULT_KEY)


def office_hours_of(db: Database) -> WorkingCalendar:
    with db.read_session() as session:
        return office_hours(session)
