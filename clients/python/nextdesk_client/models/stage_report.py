from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.period import Period
    from ..models.stage_report_row import StageReportRow


T = TypeVar("T", bound="StageReport")


@_attrs_define
class StageReport:
    """
    Attributes:
        departments (list[StageReportRow]):
        period (Period):
        stages (list[StageReportRow]):
    """

    departments: list[StageReportRow]
    period: Period
    stages: list[StageReportRow]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        departments = []
        for departments_item_data in self.departments:
            departments_item = departments_item_data.to_dict()
            departments.append(departments_item)

        period = self.period.to_dict()

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "departments": departments,
                "period": period,
                "stages": stages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.period import Period  # noqa: PLC0415
        from ..models.stage_report_row import StageReportRow  # noqa: PLC0415

        d = dict(src_dict)
        departments = []
        _departments = d.pop("departments")
        for departments_item_data in _departments:
            departments_item = StageReportRow.from_dict(departments_item_data)

            departments.append(departments_item)

        period = Period.from_dict(d.pop("period"))

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = StageReportRow.from_dict(stages_item_data)

            stages.append(stages_item)

        stage_report = cls(
            departments=departments,
            period=period,
            stages=stages,
        )

        stage_report.additional_properties = d
        return stage_report

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
