from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.estimate_revision_public_reason_text_type_0 import EstimateRevisionPublicReasonTextType0
    from ..models.money import Money


T = TypeVar("T", bound="EstimateRevisionPublic")


@_attrs_define
class EstimateRevisionPublic:
    """One entry of the promise ledger.

    Attributes:
        actor (None | str):
        at (datetime.datetime):
        crossed_promise (None | str): behind: this entry put the ETA past the promise; back: it brought it back within
        delta_cost (Money | None):
        delta_minutes (int | None): new_at minus previous_at, in minutes
        event_id (int | None): The event that announced it
        kind (str): initial (the estimate when the order was made), eta (the likely finish moved), cost (the estimated
            cost moved) or promise (the promise itself was changed)
        new_at (datetime.datetime | None): ETA (or, for kind promise, the promise) after
        new_cost (Money | None):
        previous_at (datetime.datetime | None): ETA (or, for kind promise, the promise) before
        previous_cost (Money | None):
        promised_at (datetime.datetime | None): The promise as it stood at the time
        reason (None | str): The reason code given with it
        significant (bool):
        stage (None | str): The stage whose change caused this entry
        minutes_past_promise (int | None | Unset): How far the new ETA was beyond that promise (negative: ahead of it)
        reason_text (EstimateRevisionPublicReasonTextType0 | None | Unset): The reason's label, en and id
    """

    actor: None | str
    at: datetime.datetime
    crossed_promise: None | str
    delta_cost: Money | None
    delta_minutes: int | None
    event_id: int | None
    kind: str
    new_at: datetime.datetime | None
    new_cost: Money | None
    previous_at: datetime.datetime | None
    previous_cost: Money | None
    promised_at: datetime.datetime | None
    reason: None | str
    significant: bool
    stage: None | str
    minutes_past_promise: int | None | Unset = UNSET
    reason_text: EstimateRevisionPublicReasonTextType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.estimate_revision_public_reason_text_type_0 import EstimateRevisionPublicReasonTextType0  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        actor: None | str
        actor = self.actor

        at = self.at.isoformat()

        crossed_promise: None | str
        crossed_promise = self.crossed_promise

        delta_cost: dict[str, Any] | None
        if isinstance(self.delta_cost, Money):
            delta_cost = self.delta_cost.to_dict()
        else:
            delta_cost = self.delta_cost

        delta_minutes: int | None
        delta_minutes = self.delta_minutes

        event_id: int | None
        event_id = self.event_id

        kind = self.kind

        new_at: None | str
        if isinstance(self.new_at, datetime.datetime):
            new_at = self.new_at.isoformat()
        else:
            new_at = self.new_at

        new_cost: dict[str, Any] | None
        if isinstance(self.new_cost, Money):
            new_cost = self.new_cost.to_dict()
        else:
            new_cost = self.new_cost

        previous_at: None | str
        if isinstance(self.previous_at, datetime.datetime):
            previous_at = self.previous_at.isoformat()
        else:
            previous_at = self.previous_at

        previous_cost: dict[str, Any] | None
        if isinstance(self.previous_cost, Money):
            previous_cost = self.previous_cost.to_dict()
        else:
            previous_cost = self.previous_cost

        promised_at: None | str
        if isinstance(self.promised_at, datetime.datetime):
            promised_at = self.promised_at.isoformat()
        else:
            promised_at = self.promised_at

        reason: None | str
        reason = self.reason

        significant = self.significant

        stage: None | str
        stage = self.stage

        minutes_past_promise: int | None | Unset
        if isinstance(self.minutes_past_promise, Unset):
            minutes_past_promise = UNSET
        else:
            minutes_past_promise = self.minutes_past_promise

        reason_text: dict[str, Any] | None | Unset
        if isinstance(self.reason_text, Unset):
            reason_text = UNSET
        elif isinstance(self.reason_text, EstimateRevisionPublicReasonTextType0):
            reason_text = self.reason_text.to_dict()
        else:
            reason_text = self.reason_text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "at": at,
                "crossed_promise": crossed_promise,
                "delta_cost": delta_cost,
                "delta_minutes": delta_minutes,
                "event_id": event_id,
                "kind": kind,
                "new_at": new_at,
                "new_cost": new_cost,
                "previous_at": previous_at,
                "previous_cost": previous_cost,
                "promised_at": promised_at,
                "reason": reason,
                "significant": significant,
                "stage": stage,
            }
        )
        if minutes_past_promise is not UNSET:
            field_dict["minutes_past_promise"] = minutes_past_promise
        if reason_text is not UNSET:
            field_dict["reason_text"] = reason_text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.estimate_revision_public_reason_text_type_0 import EstimateRevisionPublicReasonTextType0  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_actor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor = _parse_actor(d.pop("actor"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_crossed_promise(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        crossed_promise = _parse_crossed_promise(d.pop("crossed_promise"))

        def _parse_delta_cost(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                delta_cost_type_0 = Money.from_dict(data)

                return delta_cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        delta_cost = _parse_delta_cost(d.pop("delta_cost"))

        def _parse_delta_minutes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        delta_minutes = _parse_delta_minutes(d.pop("delta_minutes"))

        def _parse_event_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        event_id = _parse_event_id(d.pop("event_id"))

        kind = d.pop("kind")

        def _parse_new_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                new_at_type_0 = datetime.datetime.fromisoformat(data)

                return new_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        new_at = _parse_new_at(d.pop("new_at"))

        def _parse_new_cost(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                new_cost_type_0 = Money.from_dict(data)

                return new_cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        new_cost = _parse_new_cost(d.pop("new_cost"))

        def _parse_previous_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_at_type_0 = datetime.datetime.fromisoformat(data)

                return previous_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        previous_at = _parse_previous_at(d.pop("previous_at"))

        def _parse_previous_cost(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                previous_cost_type_0 = Money.from_dict(data)

                return previous_cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        previous_cost = _parse_previous_cost(d.pop("previous_cost"))

        def _parse_promised_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                promised_at_type_0 = datetime.datetime.fromisoformat(data)

                return promised_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        promised_at = _parse_promised_at(d.pop("promised_at"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        significant = d.pop("significant")

        def _parse_stage(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stage = _parse_stage(d.pop("stage"))

        def _parse_minutes_past_promise(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        minutes_past_promise = _parse_minutes_past_promise(d.pop("minutes_past_promise", UNSET))

        def _parse_reason_text(data: object) -> EstimateRevisionPublicReasonTextType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reason_text_type_0 = EstimateRevisionPublicReasonTextType0.from_dict(data)

                return reason_text_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EstimateRevisionPublicReasonTextType0 | None | Unset, data)

        reason_text = _parse_reason_text(d.pop("reason_text", UNSET))

        estimate_revision_public = cls(
            actor=actor,
            at=at,
            crossed_promise=crossed_promise,
            delta_cost=delta_cost,
            delta_minutes=delta_minutes,
            event_id=event_id,
            kind=kind,
            new_at=new_at,
            new_cost=new_cost,
            previous_at=previous_at,
            previous_cost=previous_cost,
            promised_at=promised_at,
            reason=reason,
            significant=significant,
            stage=stage,
            minutes_past_promise=minutes_past_promise,
            reason_text=reason_text,
        )

        estimate_revision_public.additional_properties = d
        return estimate_revision_public

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
