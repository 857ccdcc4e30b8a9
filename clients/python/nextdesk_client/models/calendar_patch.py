from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.open_date_in import OpenDateIn
    from ..models.week_in import WeekIn


T = TypeVar("T", bound="CalendarPatch")


@_attrs_define
class CalendarPatch:
    """Only what is given changes; ``holidays`` may be set to null to drop them.

    Attributes:
        closed_dates (list[datetime.date] | None | Unset):
        departments (list[str] | None | Unset): Departments whose stages use this calendar unless they name one
        holiday_subdivision (None | str | Unset):
        holidays (None | str | Unset): The country whose public holidays are closed (ISO 3166-1 alpha-2, from the
            holidays package)
        name (None | str | Unset):
        open_dates (list[OpenDateIn] | None | Unset): Dates open with their own hours, whatever else holds
        timezone (None | str | Unset):
        week (None | Unset | WeekIn): Working periods per weekday (mon ... sun); a day left out is closed
    """

    closed_dates: list[datetime.date] | None | Unset = UNSET
    departments: list[str] | None | Unset = UNSET
    holiday_subdivision: None | str | Unset = UNSET
    holidays: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    open_dates: list[OpenDateIn] | None | Unset = UNSET
    timezone: None | str | Unset = UNSET
    week: None | Unset | WeekIn = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.week_in import WeekIn  # noqa: PLC0415

        closed_dates: list[str] | None | Unset
        if isinstance(self.closed_dates, Unset):
            closed_dates = UNSET
        elif isinstance(self.closed_dates, list):
            closed_dates = []
            for closed_dates_type_0_item_data in self.closed_dates:
                closed_dates_type_0_item = closed_dates_type_0_item_data.isoformat()
                closed_dates.append(closed_dates_type_0_item)

        else:
            closed_dates = self.closed_dates

        departments: list[str] | None | Unset
        if isinstance(self.departments, Unset):
            departments = UNSET
        elif isinstance(self.departments, list):
            departments = self.departments

        else:
            departments = self.departments

        holiday_subdivision: None | str | Unset
        if isinstance(self.holiday_subdivision, Unset):
            holiday_subdivision = UNSET
        else:
            holiday_subdivision = self.holiday_subdivision

        holidays: None | str | Unset
        if isinstance(self.holidays, Unset):
            holidays = UNSET
        else:
            holidays = self.holidays

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        open_dates: list[dict[str, Any]] | None | Unset
        if isinstance(self.open_dates, Unset):
            open_dates = UNSET
        elif isinstance(self.open_dates, list):
            open_dates = []
            for open_dates_type_0_item_data in self.open_dates:
                open_dates_type_0_item = open_dates_type_0_item_data.to_dict()
                open_dates.append(open_dates_type_0_item)

        else:
            open_dates = self.open_dates

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        week: dict[str, Any] | None | Unset
        if isinstance(self.week, Unset):
            week = UNSET
        elif isinstance(self.week, WeekIn):
            week = self.week.to_dict()
        else:
            week = self.week

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if closed_dates is not UNSET:
            field_dict["closed_dates"] = closed_dates
        if departments is not UNSET:
            field_dict["departments"] = departments
        if holiday_subdivision is not UNSET:
            field_dict["holiday_subdivision"] = holiday_subdivision
        if holidays is not UNSET:
            field_dict["holidays"] = holidays
        if name is not UNSET:
            field_dict["name"] = name
        if open_dates is not UNSET:
            field_dict["open_dates"] = open_dates
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if week is not UNSET:
            field_dict["week"] = week

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.open_date_in import OpenDateIn  # noqa: PLC0415
        from ..models.week_in import WeekIn  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_closed_dates(data: object) -> list[datetime.date] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                closed_dates_type_0 = []
                _closed_dates_type_0 = data
                for closed_dates_type_0_item_data in _closed_dates_type_0:
                    closed_dates_type_0_item = datetime.date.fromisoformat(closed_dates_type_0_item_data)

                    closed_dates_type_0.append(closed_dates_type_0_item)

                return closed_dates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[datetime.date] | None | Unset, data)

        closed_dates = _parse_closed_dates(d.pop("closed_dates", UNSET))

        def _parse_departments(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                departments_type_0 = cast(list[str], data)

                return departments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        departments = _parse_departments(d.pop("departments", UNSET))

        def _parse_holiday_subdivision(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        holiday_subdivision = _parse_holiday_subdivision(d.pop("holiday_subdivision", UNSET))

        def _parse_holidays(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        holidays = _parse_holidays(d.pop("holidays", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_open_dates(data: object) -> list[OpenDateIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                open_dates_type_0 = []
                _open_dates_type_0 = data
                for open_dates_type_0_item_data in _open_dates_type_0:
                    open_dates_type_0_item = OpenDateIn.from_dict(open_dates_type_0_item_data)

                    open_dates_type_0.append(open_dates_type_0_item)

                return open_dates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[OpenDateIn] | None | Unset, data)

        open_dates = _parse_open_dates(d.pop("open_dates", UNSET))

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        def _parse_week(data: object) -> None | Unset | WeekIn:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                week_type_0 = WeekIn.from_dict(data)

                return week_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WeekIn, data)

        week = _parse_week(d.pop("week", UNSET))

        calendar_patch = cls(
            closed_dates=closed_dates,
            departments=departments,
            holiday_subdivision=holiday_subdivision,
            holidays=holidays,
            name=name,
            open_dates=open_dates,
            timezone=timezone,
            week=week,
        )

        return calendar_patch
