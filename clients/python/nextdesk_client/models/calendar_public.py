from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.calendar_public_week import CalendarPublicWeek
    from ..models.open_date_in import OpenDateIn


T = TypeVar("T", bound="CalendarPublic")


@_attrs_define
class CalendarPublic:
    """
    Attributes:
        closed_dates (list[datetime.date]):
        created_at (datetime.datetime):
        departments (list[str]):
        holiday_subdivision (None | str):
        holidays (None | str):
        key (str):
        name (str):
        open_dates (list[OpenDateIn]):
        timezone (str):
        updated_at (datetime.datetime):
        week (CalendarPublicWeek):
    """

    closed_dates: list[datetime.date]
    created_at: datetime.datetime
    departments: list[str]
    holiday_subdivision: None | str
    holidays: None | str
    key: str
    name: str
    open_dates: list[OpenDateIn]
    timezone: str
    updated_at: datetime.datetime
    week: CalendarPublicWeek
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        closed_dates = []
        for closed_dates_item_data in self.closed_dates:
            closed_dates_item = closed_dates_item_data.isoformat()
            closed_dates.append(closed_dates_item)

        created_at = self.created_at.isoformat()

        departments = self.departments

        holiday_subdivision: None | str
        holiday_subdivision = self.holiday_subdivision

        holidays: None | str
        holidays = self.holidays

        key = self.key

        name = self.name

        open_dates = []
        for open_dates_item_data in self.open_dates:
            open_dates_item = open_dates_item_data.to_dict()
            open_dates.append(open_dates_item)

        timezone = self.timezone

        updated_at = self.updated_at.isoformat()

        week = self.week.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "closed_dates": closed_dates,
                "created_at": created_at,
                "departments": departments,
                "holiday_subdivision": holiday_subdivision,
                "holidays": holidays,
                "key": key,
                "name": name,
                "open_dates": open_dates,
                "timezone": timezone,
                "updated_at": updated_at,
                "week": week,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.calendar_public_week import CalendarPublicWeek  # noqa: PLC0415
        from ..models.open_date_in import OpenDateIn  # noqa: PLC0415

        d = dict(src_dict)
        closed_dates = []
        _closed_dates = d.pop("closed_dates")
        for closed_dates_item_data in _closed_dates:
            closed_dates_item = datetime.date.fromisoformat(closed_dates_item_data)

            closed_dates.append(closed_dates_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        departments = cast(list[str], d.pop("departments"))

        def _parse_holiday_subdivision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        holiday_subdivision = _parse_holiday_subdivision(d.pop("holiday_subdivision"))

        def _parse_holidays(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        holidays = _parse_holidays(d.pop("holidays"))

        key = d.pop("key")

        name = d.pop("name")

        open_dates = []
        _open_dates = d.pop("open_dates")
        for open_dates_item_data in _open_dates:
            open_dates_item = OpenDateIn.from_dict(open_dates_item_data)

            open_dates.append(open_dates_item)

        timezone = d.pop("timezone")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        week = CalendarPublicWeek.from_dict(d.pop("week"))

        calendar_public = cls(
            closed_dates=closed_dates,
            created_at=created_at,
            departments=departments,
            holiday_subdivision=holiday_subdivision,
            holidays=holidays,
            key=key,
            name=name,
            open_dates=open_dates,
            timezone=timezone,
            updated_at=updated_at,
            week=week,
        )

        calendar_public.additional_properties = d
        return calendar_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
