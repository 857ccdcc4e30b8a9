from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkingTime")


@_attrs_define
class WorkingTime:
    """
    Attributes:
        calendar (str):
        ends_at (datetime.datetime): When that much working time ends: always inside working time
        minutes (float): Working minutes asked for
        start (datetime.datetime): The moment asked from
        working_now (bool): Whether the calendar is open at the moment asked from
    """

    calendar: str
    ends_at: datetime.datetime
    minutes: float
    start: datetime.datetime
    working_now: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        calendar = self.calendar

        ends_at = self.ends_at.isoformat()

        minutes = self.minutes

        start = self.start.isoformat()

        working_now = self.working_now

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "calendar": calendar,
                "ends_at": ends_at,
                "minutes": minutes,
                "start": start,
                "working_now": working_now,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        calendar = d.pop("calendar")

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        minutes = d.pop("minutes")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        working_now = d.pop("working_now")

        working_time = cls(
            calendar=calendar,
            ends_at=ends_at,
            minutes=minutes,
            start=start,
            working_now=working_now,
        )

        working_time.additional_properties = d
        return working_time

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
