from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.inbound_result_outcome import InboundResultOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="InboundResult")


@_attrs_define
class InboundResult:
    """
    Attributes:
        order (str):
        outcome (InboundResultOutcome): duplicate: this webhook-id was already taken; nothing changed
        stage (str):
        webhook_id (str):
        order_version (int | None | Unset): The order's version after the update
    """

    order: str
    outcome: InboundResultOutcome
    stage: str
    webhook_id: str
    order_version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        order = self.order

        outcome = self.outcome.value

        stage = self.stage

        webhook_id = self.webhook_id

        order_version: int | None | Unset
        if isinstance(self.order_version, Unset):
            order_version = UNSET
        else:
            order_version = self.order_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "order": order,
                "outcome": outcome,
                "stage": stage,
                "webhook_id": webhook_id,
            }
        )
        if order_version is not UNSET:
            field_dict["order_version"] = order_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        order = d.pop("order")

        outcome = InboundResultOutcome(d.pop("outcome"))

        stage = d.pop("stage")

        webhook_id = d.pop("webhook_id")

        def _parse_order_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        order_version = _parse_order_version(d.pop("order_version", UNSET))

        inbound_result = cls(
            order=order,
            outcome=outcome,
            stage=stage,
            webhook_id=webhook_id,
            order_version=order_version,
        )

        inbound_result.additional_properties = d
        return inbound_result

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
