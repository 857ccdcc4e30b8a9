from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Waiting")


@_attrs_define
class Waiting:
    """The desk's open requests to the back office about one order.

    Attributes:
        answer_by (datetime.datetime | None): The soonest answer_by among them
        departments (list[str]): Departments that have not answered yet
        requests (int):
    """

    answer_by: datetime.datetime | None
    departments: list[str]
    requests: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answer_by: None | str
        if isinstance(self.answer_by, datetime.datetime):
            answer_by = self.answer_by.isoformat()
        else:
            answer_by = self.answer_by

        departments = self.departments

        requests = self.requests

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answer_by": answer_by,
                "departments": departments,
                "requests": requests,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_answer_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answer_by_type_0 = datetime.datetime.fromisoformat(data)

                return answer_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        answer_by = _parse_answer_by(d.pop("answer_by"))

        departments = cast(list[str], d.pop("departments"))

        requests = d.pop("requests")

        waiting = cls(
            answer_by=answer_by,
            departments=departments,
            requests=requests,
        )

        waiting.additional_properties = d
        return waiting

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
