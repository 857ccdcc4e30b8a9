from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel import Channel
from ..models.inquiry_category import InquiryCategory

T = TypeVar("T", bound="InquiryPublic")


@_attrs_define
class InquiryPublic:
    """
    Attributes:
        actor (str):
        actor_name (str):
        at (datetime.datetime):
        category (InquiryCategory):
        channel (Channel):
        department (None | str):
        event_id (int):
        id (int):
        order (str):
        stage (None | str):
        text (str):
    """

    actor: str
    actor_name: str
    at: datetime.datetime
    category: InquiryCategory
    channel: Channel
    department: None | str
    event_id: int
    id: int
    order: str
    stage: None | str
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor

        actor_name = self.actor_name

        at = self.at.isoformat()

        category = self.category.value

        channel = self.channel.value

        department: None | str
        department = self.department

        event_id = self.event_id

        id = self.id

        order = self.order

        stage: None | str
        stage = self.stage

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "actor_name": actor_name,
                "at": at,
                "category": category,
                "channel": channel,
                "department": department,
                "event_id": event_id,
                "id": id,
                "order": order,
                "stage": stage,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        actor = d.pop("actor")

        actor_name = d.pop("actor_name")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        category = InquiryCategory(d.pop("category"))

        channel = Channel(d.pop("channel"))

        def _parse_department(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        department = _parse_department(d.pop("department"))

        event_id = d.pop("event_id")

        id = d.pop("id")

        order = d.pop("order")

        def _parse_stage(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stage = _parse_stage(d.pop("stage"))

        text = d.pop("text")

        inquiry_public = cls(
            actor=actor,
            actor_name=actor_name,
            at=at,
            category=category,
            channel=channel,
            department=department,
            event_id=event_id,
            id=id,
            order=order,
            stage=stage,
            text=text,
        )

        inquiry_public.additional_properties = d
        return inquiry_public

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
