from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OrderWarning")


@_attrs_define
class OrderWarning:
    """Something accepted that a person should still know about.

    Attributes:
        code (str): promise_outside_working_time: the promise falls while a calendar is closed
        message (str): What it means and what to do, in plain words
        calendar (None | str | Unset): The calendar concerned
        next_opening (datetime.datetime | None | Unset): When that calendar opens next
    """

    code: str
    message: str
    calendar: None | str | Unset = UNSET
    next_opening: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        calendar: None | str | Unset
        if isinstance(self.calendar, Unset):
            calendar = UNSET
        else:
            calendar = self.calendar

        next_opening: None | str | Unset
        if isinstance(self.next_opening, Unset):
            next_opening = UNSET
        elif isinstance(self.next_opening, datetime.datetime):
            next_opening = self.next_opening.isoformat()
        else:
            next_opening = self.next_opening

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if calendar is not UNSET:
            field_dict["calendar"] = calendar
        if next_opening is not UNSET:
            field_dict["next_opening"] = next_opening

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        def _parse_calendar(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        calendar = _parse_calendar(d.pop("calendar", UNSET))

        def _parse_next_opening(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_opening_type_0 = datetime.datetime.fromisoformat(data)

                return next_opening_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_opening = _parse_next_opening(d.pop("next_opening", UNSET))

        order_warning = cls(
            code=code,
            message=message,
            calendar=calendar,
            next_opening=next_opening,
        )

        order_warning.additional_properties = d
        return order_warning

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
