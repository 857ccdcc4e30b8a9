"""The close of a working day, for anything that knows each day's opening hours in a zone.

The workbench's quick picks ("end of day", "next working day") ask it of a plain working week
(app/domain/quick_picks.py) and of a calendar with holidays (app/domain/calendar.py) alike.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class DayOpenings(Protocol):
    @property
    def zone(self) -> ZoneInfo: ...

    def opening(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's first opening and last close, or None on a closed day."""
        ...


def end_of_day(hours: DayOpenings, moment: datetime, max_days: int) -> datetime:
    """The close of today if it is still ahead, else of the next working day."""
    local = moment.astimezone(hours.zone)
    day = local.date()
    for _ in range(max_days):
        opening = hours.opening(day)
        if opening is not None and opening[1] > local:
            return opening[1]
        day += timedelta(days=1)
    return local + timedelta(days=1)  # never open: a day on is the honest answer


def next_working_day(hours: DayOpenings, moment: datetime, max_days: int) -> datetime:
    """The close of the first working day after today."""
    local = moment.astimezone(hours.zone)
    day = local.date() + timedelta(days=1)
    for _ in range(max_days):
        opening = hours.opening(day)
        if opening is not None:
            return opening[1]
        day += timedelta(days=1)
    return local + timedelta(days=1)
