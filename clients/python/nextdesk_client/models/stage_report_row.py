from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StageReportRow")


@_attrs_define
class StageReportRow:
    """
    Attributes:
        complaints (int):
        department (None | str):
        finished (int): Stages finished (done) in the period
        inquiries (int):
        late (int): Finished stages that took longer than planned
        late_share (float | None): late / finished, 0 to 1
        median_minutes (float | None):
        overdue_lapses (int): Times the stage went silent past its promised update or finish
        p90_minutes (float | None):
        flow (None | str | Unset):
        name (None | str | Unset):
        planned_minutes (int | None | Unset):
        stage (None | str | Unset):
    """

    complaints: int
    department: None | str
    finished: int
    inquiries: int
    late: int
    late_share: float | None
    median_minutes: float | None
    overdue_lapses: int
    p90_minutes: float | None
    flow: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    planned_minutes: int | None | Unset = UNSET
    stage: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        complaints = self.complaints

        department: None | str
        department = self.department

        finished = self.finished

        inquiries = self.inquiries

        late = self.late

        late_share: float | None
        late_share = self.late_share

        median_minutes: float | None
        median_minutes = self.median_minutes

        overdue_lapses = self.overdue_lapses

        p90_minutes: float | None
        p90_minutes = self.p90_minutes

        flow: None | str | Unset
        if isinstance(self.flow, Unset):
            flow = UNSET
        else:
            flow = self.flow

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        planned_minutes: int | None | Unset
        if isinstance(self.planned_minutes, Unset):
            planned_minutes = UNSET
        else:
            planned_minutes = self.planned_minutes

        stage: None | str | Unset
        if isinstance(self.stage, Unset):
            stage = UNSET
        else:
            stage = self.stage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "complaints": complaints,
                "department": department,
                "finished": finished,
                "inquiries": inquiries,
                "late": late,
                "late_share": late_share,
                "median_minutes": median_minutes,
                "overdue_lapses": overdue_lapses,
                "p90_minutes": p90_minutes,
            }
        )
        if flow is not UNSET:
            field_dict["flow"] = flow
        if name is not UNSET:
            field_dict["name"] = name
        if planned_minutes is not UNSET:
            field_dict["planned_minutes"] = planned_minutes
        if stage is not UNSET:
            field_dict["stage"] = stage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        complaints = d.pop("complaints")

        def _parse_department(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        department = _parse_department(d.pop("department"))

        finished = d.pop("finished")

        inquiries = d.pop("inquiries")

        late = d.pop("late")

        def _parse_late_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        late_share = _parse_late_share(d.pop("late_share"))

        def _parse_median_minutes(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_minutes = _parse_median_minutes(d.pop("median_minutes"))

        overdue_lapses = d.pop("overdue_lapses")

        def _parse_p90_minutes(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p90_minutes = _parse_p90_minutes(d.pop("p90_minutes"))

        def _parse_flow(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        flow = _parse_flow(d.pop("flow", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_planned_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        planned_minutes = _parse_planned_minutes(d.pop("planned_minutes", UNSET))

        def _parse_stage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stage = _parse_stage(d.pop("stage", UNSET))

        stage_report_row = cls(
            complaints=complaints,
            department=department,
            finished=finished,
            inquiries=inquiries,
            late=late,
            late_share=late_share,
            median_minutes=median_minutes,
            overdue_lapses=overdue_lapses,
            p90_minutes=p90_minutes,
            flow=flow,
            name=name,
            planned_minutes=planned_minutes,
            stage=stage,
        )

        stage_report_row.additional_properties = d
        return stage_report_row

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
