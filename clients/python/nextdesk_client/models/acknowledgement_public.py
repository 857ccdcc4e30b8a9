from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel import Channel

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="AcknowledgementPublic")


@_attrs_define
class AcknowledgementPublic:
    """
    Attributes:
        actor (str):
        actor_name (str):
        at (datetime.datetime):
        channel (Channel):
        cost (Money | None):
        current (bool): Whether the order is still at the version the customer was told
        eta_latest_at (datetime.datetime | None):
        eta_likely_at (datetime.datetime | None):
        event_id (int):
        id (int):
        note (None | str):
        order (str):
        order_version (int):
    """

    actor: str
    actor_name: str
    at: datetime.datetime
    channel: Channel
    cost: Money | None
    current: bool
    eta_latest_at: datetime.datetime | None
    eta_likely_at: datetime.datetime | None
    event_id: int
    id: int
    note: None | str
    order: str
    order_version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        actor = self.actor

        actor_name = self.actor_name

        at = self.at.isoformat()

        channel = self.channel.value

        cost: dict[str, Any] | None
        if isinstance(self.cost, Money):
            cost = self.cost.to_dict()
        else:
            cost = self.cost

        current = self.current

        eta_latest_at: None | str
        if isinstance(self.eta_latest_at, datetime.datetime):
            eta_latest_at = self.eta_latest_at.isoformat()
        else:
            eta_latest_at = self.eta_latest_at

        eta_likely_at: None | str
        if isinstance(self.eta_likely_at, datetime.datetime):
            eta_likely_at = self.eta_likely_at.isoformat()
        else:
            eta_likely_at = self.eta_likely_at

        event_id = self.event_id

        id = self.id

        note: None | str
        note = self.note

        order = self.order

        order_version = self.order_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "actor_name": actor_name,
                "at": at,
                "channel": channel,
                "cost": cost,
                "current": current,
                "eta_latest_at": eta_latest_at,
                "eta_likely_at": eta_likely_at,
                "event_id": event_id,
                "id": id,
                "note": note,
                "order": order,
                "order_version": order_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        actor = d.pop("actor")

        actor_name = d.pop("actor_name")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        channel = Channel(d.pop("channel"))

        def _parse_cost(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cost_type_0 = Money.from_dict(data)

                return cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        cost = _parse_cost(d.pop("cost"))

        current = d.pop("current")

        def _parse_eta_latest_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                eta_latest_at_type_0 = datetime.datetime.fromisoformat(data)

                return eta_latest_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        eta_latest_at = _parse_eta_latest_at(d.pop("eta_latest_at"))

        def _parse_eta_likely_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                eta_likely_at_type_0 = datetime.datetime.fromisoformat(data)

                return eta_likely_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        eta_likely_at = _parse_eta_likely_at(d.pop("eta_likely_at"))

        event_id = d.pop("event_id")

        id = d.pop("id")

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        order = d.pop("order")

        order_version = d.pop("order_version")

        acknowledgement_public = cls(
            actor=actor,
            actor_name=actor_name,
            at=at,
            channel=channel,
            cost=cost,
            current=current,
            eta_latest_at=eta_latest_at,
            eta_likely_at=eta_likely_at,
            event_id=event_id,
            id=id,
            note=note,
            order=order,
            order_version=order_version,
        )

        acknowledgement_public.additional_properties = d
        return acknowledgement_public

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
