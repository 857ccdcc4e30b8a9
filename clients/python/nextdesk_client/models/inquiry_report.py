from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.inquiry_report_channels import InquiryReportChannels
    from ..models.inquiry_report_row import InquiryReportRow
    from ..models.period import Period


T = TypeVar("T", bound="InquiryReport")


@_attrs_define
class InquiryReport:
    """
    Attributes:
        channels (InquiryReportChannels):
        complaints (int):
        departments (list[InquiryReportRow]):
        inquiries (int):
        period (Period):
        stages (list[InquiryReportRow]):
        total (int):
    """

    channels: InquiryReportChannels
    complaints: int
    departments: list[InquiryReportRow]
    inquiries: int
    period: Period
    stages: list[InquiryReportRow]
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channels = self.channels.to_dict()

        complaints = self.complaints

        departments = []
        for departments_item_data in self.departments:
            departments_item = departments_item_data.to_dict()
            departments.append(departments_item)

        inquiries = self.inquiries

        period = self.period.to_dict()

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channels": channels,
                "complaints": complaints,
                "departments": departments,
                "inquiries": inquiries,
                "period": period,
                "stages": stages,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inquiry_report_channels import InquiryReportChannels  # noqa: PLC0415
        from ..models.inquiry_report_row import InquiryReportRow  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415

        d = dict(src_dict)
        channels = InquiryReportChannels.from_dict(d.pop("channels"))

        complaints = d.pop("complaints")

        departments = []
        _departments = d.pop("departments")
        for departments_item_data in _departments:
            departments_item = InquiryReportRow.from_dict(departments_item_data)

            departments.append(departments_item)

        inquiries = d.pop("inquiries")

        period = Period.from_dict(d.pop("period"))

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = InquiryReportRow.from_dict(stages_item_data)

            stages.append(stages_item)

        total = d.pop("total")

        inquiry_report = cls(
            channels=channels,
            complaints=complaints,
            departments=departments,
            inquiries=inquiries,
            period=period,
            stages=stages,
            total=total,
        )

        inquiry_report.additional_properties = d
        return inquiry_report

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
