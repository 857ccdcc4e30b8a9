from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inquiry_report_row_channels import InquiryReportRowChannels


T = TypeVar("T", bound="InquiryReportRow")


@_attrs_define
class InquiryReportRow:
    """
    Attributes:
        channels (InquiryReportRowChannels):
        complaints (int):
        department (None | str):
        inquiries (int):
        share (float): This row's share of all calls in the period, 0 to 1
        total (int):
        flow (None | str | Unset):
        name (None | str | Unset):
        stage (None | str | Unset):
    """

    channels: InquiryReportRowChannels
    complaints: int
    department: None | str
    inquiries: int
    share: float
    total: int
    flow: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    stage: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channels = self.channels.to_dict()

        complaints = self.complaints

        department: None | str
        department = self.department

        inquiries = self.inquiries

        share = self.share

        total = self.total

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

        stage: None | str | Unset
        if isinstance(self.stage, Unset):
            stage = UNSET
        else:
            stage = self.stage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channels": channels,
                "complaints": complaints,
                "department": department,
                "inquiries": inquiries,
                "share": share,
                "total": total,
            }
        )
        if flow is not UNSET:
            field_dict["flow"] = flow
        if name is not UNSET:
            field_dict["name"] = name
        if stage is not UNSET:
            field_dict["stage"] = stage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inquiry_report_row_channels import InquiryReportRowChannels  # noqa: PLC0415

        d = dict(src_dict)
        channels = InquiryReportRowChannels.from_dict(d.pop("channels"))

        complaints = d.pop("complaints")

        def _parse_department(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        department = _parse_department(d.pop("department"))

        inquiries = d.pop("inquiries")

        share = d.pop("share")

        total = d.pop("total")

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

        def _parse_stage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stage = _parse_stage(d.pop("stage", UNSET))

        inquiry_report_row = cls(
            channels=channels,
            complaints=complaints,
            department=department,
            inquiries=inquiries,
            share=share,
            total=total,
            flow=flow,
            name=name,
            stage=stage,
        )

        inquiry_report_row.additional_properties = d
        return inquiry_report_row

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
