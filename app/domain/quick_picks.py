"""The workbench's quick picks for a revised finish or the next word: +1 h, +4 h, end of today,
next working day, all in working time.

The pages pass the `default` working calendar (its hours, holidays and extra dates); a bare
``WorkingWeek`` (Mon-Fri 08:00-17:00, Sat 08:00-12:00, no holidays) serves where none is at hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from app.domain import day_closes

#: Weekday (Monday = 0) -> (open, close); a day not listed is closed.
DEFAULT_HOURS: dict[int, tuple[time, time]] = {
    **{day: (time(8), time(17)) for day in range(5)},
    5: (time(8), time(12)),
}
QUICK_PICKS = ("plus_1h", "plus_4h", "end_of_today", "next_working_day")
#: How far to look for an open day (a long holiday) before giving up.
MAX_DAYS_AHEAD = 60


def _never_closed(day: date) -> bool:
    return False


@dataclass(frozen=True)
class WorkingWeek:
    zone: ZoneInfo
    hours: dict[int, tuple[time, time]] = field(default_factory=lambda: dict(DEFAULT_HOURS))
    #: Extra closed days (public holidays) on top of the weekly hours.
    closed: Callable[[date], bool] = _never_closed

    def opening(self, day: date) -> tuple[datetime, datetime] | None:
        if self.closed(day) or day.weekday() not in self.hours:
            return None
        start, end = self.hours[day.weekday()]
        return (
            datetime.combine(day, start, tzinfo=self.zone),
            datetime.combine(day, end, tzinfo=self.zone),
        )

    def add(self, moment: datetime, minutes: int) -> datetime:
        """``minutes`` of working time after ``moment``; it always ends inside working time."""
        local = moment.astimezone(self.zone)
        left = timedelta(minutes=minutes)
        day = local.date()
        for _ in range(MAX_DAYS_AHEAD * 2):
            hours = self.opening(day)
            if hours is not None:
                start = max(hours[0], local)
                if start < hours[1]:
                    available = hours[1] - start
                    if left <= available:
                        return start + left
                    left -= available
            day += timedelta(days=1)
        return local + left  # no working time found: plain time is the honest answer

    def end_of_day(self, moment: datetime) -> datetime:
        return day_closes.end_of_day(self, moment, MAX_DAYS_AHEAD)

    def next_working_day(self, moment: datetime) -> datetime:
        return day_closes.next_working_day(self, moment, MAX_DAYS_AHEAD)


class Hours(Protocol):
    """What the picks need of working hours: a WorkingWeek, or a calendar (app/domain/calendar.py)."""

    @property
    def zone(self) -> ZoneInfo: ...

    def add(self, moment: datetime, minutes: int) -> datetime: ...

    def end_of_day(self, moment: datetime) -> datetime: ...

    def next_working_day(self, moment: datetime) -> datetime: ...


def quick_picks(now: datetime, week: Hours) -> dict[str, datetime]:
    return {
        "plus_1h": week.add(now, 60),
        "plus_4h": week.add(now, 240),
        "end_of_today": week.end_of_day(now),
        "next_working_day": week.next_working_day(now),
    }


def on_date(day: date, week: Hours) -> datetime:
    """A date picked on the page means the close of that day (or of the next working day)."""
    start = datetime.combine(day, time(0), tzinfo=week.zone)
    return week.end_of_day(start)
