from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StageUpdateReceipt")


@_attrs_define
class StageUpdateReceipt:
    """The lean answer to a stage update (``Prefer: return=minimal``): what changed, not the view.

    Attributes:
        events (list[int]): The ids of the events the update appended, in log order
        reference (str):
        version (int): The order's version after the update; its ETag, as for the status view
    """

    events: list[int]
    reference: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        events = self.events

        reference = self.reference

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "events": events,
                "reference": reference,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        events = cast(list[int], d.pop("events"))

        reference = d.pop("reference")

        version = d.pop("version")

        stage_update_receipt = cls(
            events=events,
            reference=reference,
            version=version,
        )

        stage_update_receipt.additional_properties = d
        return stage_update_receipt

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
