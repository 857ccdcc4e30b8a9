from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.overdue_stage_missed import OverdueStageMissed

T = TypeVar("T", bound="OverdueStage")


@_attrs_define
class OverdueStage:
    """
    Attributes:
        department (str):
        due_at (datetime.datetime):
        last_update_at (datetime.datetime | None):
        missed (OverdueStageMissed): update: the promised next update did not come; finish: the expected finish passed
        name (str):
        stage (str):
        status (str):
    """

    department: str
    due_at: datetime.datetime
    last_update_at: datetime.datetime | None
    missed: OverdueStageMissed
    name: str
    stage: str
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        department = self.department

        due_at = self.due_at.isoformat()

        last_update_at: None | str
        if isinstance(self.last_update_at, datetime.datetime):
            last_update_at = self.last_update_at.isoformat()
        else:
            last_update_at = self.last_update_at

        missed = self.missed.value

        name = self.name

        stage = self.stage

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "department": department,
                "due_at": due_at,
                "last_update_at": last_update_at,
                "missed": missed,
                "name": name,
                "stage": stage,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        department = d.pop("department")

        due_at = datetime.datetime.fromisoformat(d.pop("due_at"))

        def _parse_last_update_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_update_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_update_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_update_at = _parse_last_update_at(d.pop("last_update_at"))

        missed = OverdueStageMissed(d.pop("missed"))

        name = d.pop("name")

        stage = d.pop("stage")

        status = d.pop("status")

        overdue_stage = cls(
            department=department,
            due_at=due_at,
            last_update_at=last_update_at,
            missed=missed,
            name=name,
            stage=stage,
            status=status,
        )

        overdue_stage.additional_properties = d
        return overdue_stage

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
