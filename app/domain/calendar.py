"""Working time: when a back office works, and how much of it lies between two moments.

A calendar is a time zone, weekly working periods, the public holidays of a country (from the
`holidays` package, computed for whatever year is asked, never typed in), and extra dates:
closed (a stock-take day) or open with their own hours (a Saturday opened for a rush). Every
duration of a stage is working minutes of its calendar, so a stage ready on Friday at 16:00 that
takes two working hours ends on Monday at 09:00, and every finish computed here falls inside
working time: ``add`` ends at a moment the calendar is open (or at the close of a period).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from app.domain import day_closes

#: Weekday names as the API writes them, Monday first (datetime.weekday() order).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: How far ahead to look for working time before deciding a calendar has none: a year of
#: round-the-clock minutes (the longest duration an estimate uses) spans about four years of
#: office hours.
MAX_DAYS_AHEAD = 10 * 366
DAY_MINUTES = 24 * 60
#: How many days' working intervals a calendar keeps made (a few years of days; then it starts over).
_DAYS_KEPT = 2048


@dataclass(frozen=True, order=True)
class Period:
    """Working hours within one day, in minutes after local midnight; ``end`` may be 1440."""

    start: int
    end: int


@lru_cache(maxsize=256)
def _holidays_of(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(found.keys())


def check_country(country: str, subdivision: str | None = None) -> str | None:
    """Why the `holidays` package cannot give this country's holidays, or None if it can."""
    if country not in holidays.list_supported_countries():
        return f"unknown country '{country}' (an ISO 3166-1 alpha-2 code the holidays package knows, e.g. ID)"
    if subdivision is not None:
        known = holidays.list_supported_countries()[country]
        if subdivision not in known:
            return f"unknown subdivision '{subdivision}' of {country}; known: {', '.join(known) or 'none'}"
    return None


@dataclass(frozen=True)
class WorkingCalendar:
    key: str
    zone: ZoneInfo
    #: Weekday (Monday = 0) -> sorted, non-overlapping periods; a day not listed is closed.
    week: Mapping[int, tuple[Period, ...]]
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    closed_dates: frozenset[date] = frozenset()
    #: Dates open with their own hours, whatever the week or the holidays say.
    open_dates: Mapping[date, tuple[Period, ...]] = field(default_factory=dict)
    _days: dict[date, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    # -- what a day looks like ------------------------------------------------------------------

    def is_holiday(self, day: date) -> bool:
        if self.holiday_country is None:
            return False
        return day in _holidays_of(self.holiday_country, self.holiday_subdivision, day.year)

    def periods(self, day: date) -> tuple[Period, ...]:
        if day in self.open_dates:
            return self.open_dates[day]
        if day in self.closed_dates or self.is_holiday(day):
            return ()
        return self.week.get(day.weekday(), ())

    def _intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        # Every estimate walks the same few days again and again (the ETA, the chance of missing
        # the promise, the horizon of the risk rule), so each day's intervals are made once.
        found = self._days.get(day)
        if found is None:
            midnight = datetime.combine(day, time(0), tzinfo=self.zone)
            found = tuple(
                (_local(midnight, p.start, self.zone), _local(midnight, p.end, self.zone))
                for p in self.periods(day)
            )
            if len(self._days) >= _DAYS_KEPT:
                self._days.clear()
            self._days[day] = found
        return found

    def _days_from(self, moment: datetime) -> Iterable[tuple[datetime, datetime]]:
        """Working intervals from the day of ``moment`` on, each clipped to start at ``moment``."""
        local = moment.astimezone(self.zone)
        day = local.date()
        for _ in range(MAX_DAYS_AHEAD):
            for start, end in self._intervals(day):
                if end > local:
                    yield max(start, local), end
            day += timedelta(days=1)

    def has_working_time(self) -> bool:
        return any(self.week.values()) or any(self.open_dates.values())

    # -- arithmetic ---------------------------------------------------------------------------

    def add(self, moment: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` of working time after ``moment``. With 0 minutes, ``moment``
        itself if the calendar is open then, else the next opening."""
        left = timedelta(minutes=max(minutes, 0.0))
        for start, end in self._days_from(moment):
            available = end - start
            if left <= available:
                return (start + left).astimezone(moment.tzinfo)
            left -= available
        # No working time for years ahead (a calendar closed by its own dates): plain time is
        # the honest answer rather than none.
        return moment + timedelta(minutes=max(minutes, 0.0))

    def before(self, moment: datetime, minutes: float) -> datetime:
        """The latest moment from which ``minutes`` of working time remain until ``moment``: the
        reverse of ``add``. Far back past any working time, plain time."""
        left = timedelta(minutes=max(minutes, 0.0))
        local = moment.astimezone(self.zone)
        day = local.date()
        for _ in range(MAX_DAYS_AHEAD):
            for start, end in reversed(self._intervals(day)):
                if start >= local:
                    continue
                end = min(end, local)
                available = end - start
                if left <= available:
                    return (end - left).astimezone(moment.tzinfo)
                left -= available
            day -= timedelta(days=1)
        return moment - timedelta(minutes=max(minutes, 0.0))

    def between(self, earlier: datetime, later: datetime) -> float:
        """Working minutes from ``earlier`` to ``later`` (0 if ``later`` is not after it)."""
        if later <= earlier:
            return 0.0
        total = timedelta(0)
        for start, end in self._days_from(earlier):
            if start >= later:
                break
            total += min(end, later) - start
        return total.total_seconds() / 60.0

    def is_working(self, moment: datetime) -> bool:
        """Open at this moment; the close of a period counts as inside (work ends then)."""
        local = moment.astimezone(self.zone)
        return any(start <= local <= end for start, end in self._intervals(local.date()))

    def next_opening(self, moment: datetime) -> datetime:
        return self.add(moment, 0)

    # -- what the workbench's quick picks need -------------------------------------------------

    def opening(self, day: date) -> tuple[datetime, datetime] | None:
        intervals = self._intervals(day)
        if not intervals:
            return None
        return intervals[0][0], intervals[-1][1]

    def end_of_day(self, moment: datetime) -> datetime:
        return day_closes.end_of_day(self, moment, MAX_DAYS_AHEAD)

    def next_working_day(self, moment: datetime) -> datetime:
        return day_closes.next_working_day(self, moment, MAX_DAYS_AHEAD)


def _local(midnight: datetime, minutes: int, zone: ZoneInfo) -> datetime:
    # Wall-clock arithmetic in the zone, so a period means the same hours on a day with a shift.
    wall = midnight.replace(tzinfo=None) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=zone)


def overlapping(periods: Sequence[Period]) -> tuple[Period, Period] | None:
    ordered = sorted(periods)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.start < first.end:
            return first, second
    return None


#: The calendars every database starts with.
DEFAULT_KEY = "default"
ALWAYS_KEY = "always"
DEFAULT_ZONE = "Asia/Jakarta"
DEFAULT_WEEK: dict[str, list[tuple[str, str]]] = {
    **{day: [("08:00", "17:00")] for day in WEEKDAYS[:5]},
    "sat": [("08:00", "12:00")],
}
ALWAYS_WEEK: dict[str, list[tuple[str, str]]] = {day: [("00:00", "24:00")] for day in WEEKDAYS}


def always(zone: ZoneInfo | None = None) -> WorkingCalendar:
    """Every minute is working time: the plain clock."""
    whole = (Period(0, DAY_MINUTES),)
    return WorkingCalendar(ALWAYS_KEY, zone or ZoneInfo("UTC"), dict.fromkeys(range(7), whole))


#: The plain clock, shared: estimates with no calendar of their own use it.
ALWAYS = always()


def parse_clock(text: str) -> int | None:
    """'08:30' -> 510; '24:00' is the end of the day; None if it is not a time of day."""
    parts = text.split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


@dataclass(frozen=True)
class ClosedPromise:
    """A promise due while a calendar the order ends on is closed: nobody works then."""

    calendar: str
    stage: str
    next_opening: datetime

    def message(self, promised_at: datetime, zone: ZoneInfo) -> str:
        due = promised_at.astimezone(zone)
        opens = self.next_opening.astimezone(zone)
        return (
            f"promised_at ({due:%a %d %b %Y %H:%M} {zone.key}) falls outside working time of calendar "
            f"'{self.calendar}', which the last stage '{self.stage}' works by; it opens next at "
            f"{opens:%a %d %b %Y %H:%M}. The order is accepted; promise a moment in working time to "
            "be sure it can be kept"
        )


def closed_promises(promised_at: datetime, last_stages: Mapping[str, WorkingCalendar]) -> list[ClosedPromise]:
    """The calendars of the stages an order ends with (none depends on them) that are closed at
    its promise, one entry per calendar."""
    found: dict[str, ClosedPromise] = {}
    for stage, calendar in sorted(last_stages.items()):
        if calendar.key not in found and not calendar.is_working(promised_at):
            found[calendar.key] = ClosedPromise(calendar.key, stage, calendar.next_opening(promised_at))
    return list(found.values())
