from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.channel import Channel
from ..models.inquiry_category import InquiryCategory
from ..types import UNSET, Unset

T = TypeVar("T", bound="InquiryIn")


@_attrs_define
class InquiryIn:
    """
    Attributes:
        category (InquiryCategory):
        channel (Channel):
        text (str): What the customer asked or said
        stage (None | str | Unset): The stage the call is about; by default the stage the order is in now
    """

    category: InquiryCategory
    channel: Channel
    text: str
    stage: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        channel = self.channel.value

        text = self.text

        stage: None | str | Unset
        if isinstance(self.stage, Unset):
            stage = UNSET
        else:
            stage = self.stage

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
                "channel": channel,
                "text": text,
            }
        )
        if stage is not UNSET:
            field_dict["stage"] = stage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = InquiryCategory(d.pop("category"))

        channel = Channel(d.pop("channel"))

        text = d.pop("text")

        def _parse_stage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stage = _parse_stage(d.pop("stage", UNSET))

        inquiry_in = cls(
            category=category,
            channel=channel,
            text=text,
            stage=stage,
        )

        return inquiry_in
