from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReplayResult")


@_attrs_define
class ReplayResult:
    """
    Attributes:
        first_event_id (int | None):
        last_event_id (int | None):
        more (bool): More events remain: replay again with after_event_id=last_event_id
        queued (int): Deliveries queued for this endpoint
    """

    first_event_id: int | None
    last_event_id: int | None
    more: bool
    queued: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        first_event_id: int | None
        first_event_id = self.first_event_id

        last_event_id: int | None
        last_event_id = self.last_event_id

        more = self.more

        queued = self.queued

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "first_event_id": first_event_id,
                "last_event_id": last_event_id,
                "more": more,
                "queued": queued,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_first_event_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        first_event_id = _parse_first_event_id(d.pop("first_event_id"))

        def _parse_last_event_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_event_id = _parse_last_event_id(d.pop("last_event_id"))

        more = d.pop("more")

        queued = d.pop("queued")

        replay_result = cls(
            first_event_id=first_event_id,
            last_event_id=last_event_id,
            more=more,
            queued=queued,
        )

        replay_result.additional_properties = d
        return replay_result

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
