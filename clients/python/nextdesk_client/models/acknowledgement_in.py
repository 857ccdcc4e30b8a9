from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.channel import Channel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money_in_input import MoneyInInput


T = TypeVar("T", bound="AcknowledgementIn")


@_attrs_define
class AcknowledgementIn:
    """What the customer was told. ETA and cost default to the order's current ones when the
    version told is the current version.

        Attributes:
            channel (Channel):
            order_version (int): The version of the order the customer was told
            cost (MoneyInInput | None | Unset): The cost the customer was given
            eta_latest_at (datetime.datetime | None | Unset):
            eta_likely_at (datetime.datetime | None | Unset):
            note (None | str | Unset):
    """

    channel: Channel
    order_version: int
    cost: MoneyInInput | None | Unset = UNSET
    eta_latest_at: datetime.datetime | None | Unset = UNSET
    eta_likely_at: datetime.datetime | None | Unset = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.money_in_input import MoneyInInput  # noqa: PLC0415

        channel = self.channel.value

        order_version = self.order_version

        cost: dict[str, Any] | None | Unset
        if isinstance(self.cost, Unset):
            cost = UNSET
        elif isinstance(self.cost, MoneyInInput):
            cost = self.cost.to_dict()
        else:
            cost = self.cost

        eta_latest_at: None | str | Unset
        if isinstance(self.eta_latest_at, Unset):
            eta_latest_at = UNSET
        elif isinstance(self.eta_latest_at, datetime.datetime):
            eta_latest_at = self.eta_latest_at.isoformat()
        else:
            eta_latest_at = self.eta_latest_at

        eta_likely_at: None | str | Unset
        if isinstance(self.eta_likely_at, Unset):
            eta_likely_at = UNSET
        elif isinstance(self.eta_likely_at, datetime.datetime):
            eta_likely_at = self.eta_likely_at.isoformat()
        else:
            eta_likely_at = self.eta_likely_at

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "order_version": order_version,
            }
        )
        if cost is not UNSET:
            field_dict["cost"] = cost
        if eta_latest_at is not UNSET:
            field_dict["eta_latest_at"] = eta_latest_at
        if eta_likely_at is not UNSET:
            field_dict["eta_likely_at"] = eta_likely_at
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money_in_input import MoneyInInput  # noqa: PLC0415

        d = dict(src_dict)
        channel = Channel(d.pop("channel"))

        order_version = d.pop("order_version")

        def _parse_cost(data: object) -> MoneyInInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cost_type_0 = MoneyInInput.from_dict(data)

                return cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MoneyInInput | None | Unset, data)

        cost = _parse_cost(d.pop("cost", UNSET))

        def _parse_eta_latest_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                eta_latest_at_type_0 = datetime.datetime.fromisoformat(data)

                return eta_latest_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        eta_latest_at = _parse_eta_latest_at(d.pop("eta_latest_at", UNSET))

        def _parse_eta_likely_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                eta_likely_at_type_0 = datetime.datetime.fromisoformat(data)

                return eta_likely_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        eta_likely_at = _parse_eta_likely_at(d.pop("eta_likely_at", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        acknowledgement_in = cls(
            channel=channel,
            order_version=order_version,
            cost=cost,
            eta_latest_at=eta_latest_at,
            eta_likely_at=eta_likely_at,
            note=note,
        )

        return acknowledgement_in
