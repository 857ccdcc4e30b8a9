from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.localized_text import LocalizedText
    from ..models.money_in_input import MoneyInInput


T = TypeVar("T", bound="StageDefinitionInput")


@_attrs_define
class StageDefinitionInput:
    """
    Attributes:
        department (str):
        key (str):
        name (str):
        planned_minutes (int): Planned duration in minutes (at most a year)
        calendar (None | str | Unset): The working calendar of this stage's durations; else its department's, else
            `default`
        depends_on (list[str] | Unset):
        display_name (LocalizedText | None | Unset): The stage's name for customers in each language; `name` when absent
        planned_cost (MoneyInInput | None | Unset):
    """

    department: str
    key: str
    name: str
    planned_minutes: int
    calendar: None | str | Unset = UNSET
    depends_on: list[str] | Unset = UNSET
    display_name: LocalizedText | None | Unset = UNSET
    planned_cost: MoneyInInput | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.localized_text import LocalizedText  # noqa: PLC0415
        from ..models.money_in_input import MoneyInInput  # noqa: PLC0415

        department = self.department

        key = self.key

        name = self.name

        planned_minutes = self.planned_minutes

        calendar: None | str | Unset
        if isinstance(self.calendar, Unset):
            calendar = UNSET
        else:
            calendar = self.calendar

        depends_on: list[str] | Unset = UNSET
        if not isinstance(self.depends_on, Unset):
            depends_on = self.depends_on

        display_name: dict[str, Any] | None | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        elif isinstance(self.display_name, LocalizedText):
            display_name = self.display_name.to_dict()
        else:
            display_name = self.display_name

        planned_cost: dict[str, Any] | None | Unset
        if isinstance(self.planned_cost, Unset):
            planned_cost = UNSET
        elif isinstance(self.planned_cost, MoneyInInput):
            planned_cost = self.planned_cost.to_dict()
        else:
            planned_cost = self.planned_cost

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "department": department,
                "key": key,
                "name": name,
                "planned_minutes": planned_minutes,
            }
        )
        if calendar is not UNSET:
            field_dict["calendar"] = calendar
        if depends_on is not UNSET:
            field_dict["depends_on"] = depends_on
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if planned_cost is not UNSET:
            field_dict["planned_cost"] = planned_cost

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.localized_text import LocalizedText  # noqa: PLC0415
        from ..models.money_in_input import MoneyInInput  # noqa: PLC0415

        d = dict(src_dict)
        department = d.pop("department")

        key = d.pop("key")

        name = d.pop("name")

        planned_minutes = d.pop("planned_minutes")

        def _parse_calendar(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        calendar = _parse_calendar(d.pop("calendar", UNSET))

        depends_on = cast(list[str], d.pop("depends_on", UNSET))

        def _parse_display_name(data: object) -> LocalizedText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                display_name_type_0 = LocalizedText.from_dict(data)

                return display_name_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocalizedText | None | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_planned_cost(data: object) -> MoneyInInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                planned_cost_type_0 = MoneyInInput.from_dict(data)

                return planned_cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MoneyInInput | None | Unset, data)

        planned_cost = _parse_planned_cost(d.pop("planned_cost", UNSET))

        stage_definition_input = cls(
            department=department,
            key=key,
            name=name,
            planned_minutes=planned_minutes,
            calendar=calendar,
            depends_on=depends_on,
            display_name=display_name,
            planned_cost=planned_cost,
        )

        return stage_definition_input
