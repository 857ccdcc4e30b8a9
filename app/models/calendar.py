"""Working calendars: the hours a back office works, its holidays and its extra dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.domain.calendar import WEEKDAYS, check_country, parse_clock
from app.models.flow import KEY_PATTERN
from app.models.types import UTCDateTime

MAX_PERIODS = 12
MAX_DATES = 1000


class Calendar(SQLModel, table=True):
    __tablename__ = "calendar"

    key: str = SQLField(primary_key=True, max_length=64)
    name: str = SQLField(max_length=120)
    definition: dict[str, Any] = SQLField(sa_column=Column(JSON, nullable=False))
    created_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


class PeriodIn(BaseModel):
    """Working hours within one day, local time: "08:00" to "17:00" ("24:00" is midnight at the end)."""

    model_config = ConfigDict(extra="forbid")

    start: str = Field(examples=["08:00"], pattern=r"^\d\d:\d\d$")
    end: str = Field(examples=["17:00"], pattern=r"^\d\d:\d\d$")

    @field_validator("start", "end")
    @classmethod
    def _a_time_of_day(cls, value: str) -> str:
        if parse_clock(value) is None:
            raise ValueError(f"'{value}' is not a time of day (HH:MM, 00:00 to 24:00)")
        return value

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> PeriodIn:
        start, end = parse_clock(self.start), parse_clock(self.end)
        if start is not None and end is not None and end <= start:
            raise ValueError(f"the period ends ({self.end}) before or when it starts ({self.start})")
        return self

    def minutes(self) -> tuple[int, int]:
        start, end = parse_clock(self.start), parse_clock(self.end)
        assert start is not None
        assert end is not None
        return start, end


def _no_overlap(periods: list[PeriodIn]) -> list[PeriodIn]:
    ordered = sorted(periods, key=lambda p: p.minutes())
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.minutes()[0] < first.minutes()[1]:
            raise ValueError(f"periods overlap: {first.start}-{first.end} and {second.start}-{second.end}")
    return ordered


class WeekIn(BaseModel):
    """Working periods per weekday; a day left out (or empty) is closed."""

    model_config = ConfigDict(extra="forbid")

    mon: list[PeriodIn] = Field(default_factory=list, max_length=MAX_PERIODS)
    tue: list[PeriodIn] = Field(default_factory=list, max_length=MAX_PERIODS)
    wed: list[PeriodIn] = Field(default_factory=list, max_length=MAX_PERIODS)
    thu: list[PeriodIn] = Field(default_factory=list, max_length=MAX_PERIODS)
    fri: list[PeriodIn] = Field(default_factory=list, max_length=MAX_PERIODS)
    sat: list[PeriodIn] = Field(default_factory=list, max_length=MAX_PERIODS)
    sun: list[PeriodIn] = Field(default_factory=list, max_length=MAX_PERIODS)

    @field_validator(*WEEKDAYS)
    @classmethod
    def _periods_apart(cls, value: list[PeriodIn]) -> list[PeriodIn]:
        return _no_overlap(value)


class OpenDateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: date
    periods: list[PeriodIn] = Field(min_length=1, max_length=MAX_PERIODS)

    @field_validator("periods")
    @classmethod
    def _periods_apart(cls, value: list[PeriodIn]) -> list[PeriodIn]:
        return _no_overlap(value)


class CalendarFields(BaseModel):
    """What a calendar says; every field of a PATCH is optional."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=120)
    timezone: str | None = Field(default=None, examples=["Asia/Jakarta"], max_length=64)
    week: WeekIn | None = Field(
        default=None,
        description="Working periods per weekday (mon ... sun); a day left out is closed",
        examples=[{"mon": [{"start": "08:00", "end": "17:00"}], "sat": [{"start": "08:00", "end": "12:00"}]}],
    )
    holidays: str | None = Field(
        default=None,
        description=(
            "The country whose public holidays are closed (ISO 3166-1 alpha-2, from the holidays package)"
        ),
        examples=["ID"],
        max_length=3,
    )
    holiday_subdivision: str | None = Field(default=None, max_length=10)
    closed_dates: list[date] | None = Field(default=None, max_length=MAX_DATES)
    open_dates: list[OpenDateIn] | None = Field(
        default=None, max_length=MAX_DATES, description="Dates open with their own hours, whatever else holds"
    )
    departments: list[str] | None = Field(
        default=None,
        max_length=100,
        description="Departments whose stages use this calendar unless they name one",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}' (an IANA name, e.g. Asia/Jakarta)") from None
        return value

    @field_validator("holidays")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is not None and (problem := check_country(value)) is not None:
            raise ValueError(problem)
        return value

    @field_validator("departments")
    @classmethod
    def _department_keys(cls, value: list[str] | None) -> list[str] | None:
        import re

        for department in value or []:
            if not re.match(KEY_PATTERN, department):
                raise ValueError(f"'{department}' is not a department key")
        return value

    @field_validator("open_dates")
    @classmethod
    def _one_entry_per_date(cls, value: list[OpenDateIn] | None) -> list[OpenDateIn] | None:
        days = [d.date for d in value or []]
        if len(days) != len(set(days)):
            raise ValueError("open_dates name a date twice")
        return value

    @model_validator(mode="after")
    def _subdivision_of_the_country(self) -> CalendarFields:
        if self.holiday_subdivision is not None and self.holidays is not None:
            problem = check_country(self.holidays, self.holiday_subdivision)
            if problem is not None:
                raise ValueError(problem)
        return self


class CalendarCreate(CalendarFields):
    key: str = Field(pattern=KEY_PATTERN, examples=["workshop"])
    name: str = Field(min_length=1, max_length=120)
    timezone: str = Field(default="Asia/Jakarta", max_length=64)
    week: WeekIn = Field(description="Working periods per weekday (mon ... sun); a day left out is closed")


class CalendarPatch(CalendarFields):
    """Only what is given changes; ``holidays`` may be set to null to drop them."""


class CalendarPublic(BaseModel):
    key: str
    name: str
    timezone: str
    week: dict[str, list[PeriodIn]]
    holidays: str | None
    holiday_subdivision: str | None
    closed_dates: list[date]
    open_dates: list[OpenDateIn]
    departments: list[str]
    created_at: datetime
    updated_at: datetime


class WorkingTime(BaseModel):
    calendar: str
    start: datetime = Field(description="The moment asked from")
    minutes: float = Field(description="Working minutes asked for")
    ends_at: datetime = Field(description="When that much working time ends: always inside working time")
    working_now: bool = Field(description="Whether the calendar is open at the moment asked from")


class WorkingTimeQuery(BaseModel):
    start: AwareDatetime
    minutes: float
