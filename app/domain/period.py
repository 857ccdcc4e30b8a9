"""The period a report covers, from what people type: a date or a date and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.errors import Unprocessable

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _error(field: str, message: str) -> Unprocessable:
    return Unprocessable(message, errors=[{"loc": ["query", field], "msg": message, "type": "value_error"}])


def _parse(field: str, raw: str, zone: ZoneInfo, *, end_of_day: bool) -> datetime:
    text = raw.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            # A bare date "to" means the whole of that day, in the business's own time zone.
            start = datetime.combine(day, time(0), tzinfo=zone)
            return start + timedelta(days=1) if end_of_day else start
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise _error(
            field,
            f"{field} '{raw}' is not a date or time; write 2026-11-24 or 2026-11-24T08:00:00+07:00",
        ) from exc
    if moment.tzinfo is None:
        raise _error(field, f"{field} '{raw}' needs a time zone, e.g. 2026-11-24T08:00:00+07:00")
    return moment


def resolve_period(raw_from: str | None, raw_to: str | None, now: datetime, zone: ZoneInfo) -> Period:
    """Both ends optional: by default the last 30 days up to now."""
    # The period is half-open [start, end); by default it ends just after now, so now is in it.
    end = _parse("to", raw_to, zone, end_of_day=True) if raw_to else now + timedelta(microseconds=1)
    start = _parse("from", raw_from, zone, end_of_day=False) if raw_from else end - timedelta(DEFAULT_DAYS)
    if start >= end:
        raise _error("from", "from must be before to")
    if end - start > timedelta(days=MAX_DAYS):
        raise _error("from", f"a report covers at most {MAX_DAYS} days; choose a shorter period")
    return Period(start, end)
