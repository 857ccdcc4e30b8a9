from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.request_kind import RequestKind
from ..models.request_state import RequestState

if TYPE_CHECKING:
    from ..models.request_stage_public import RequestStagePublic


T = TypeVar("T", bound="RequestPublic")


@_attrs_define
class RequestPublic:
    """
    Attributes:
        actor (str):
        actor_name (str):
        answer_by (datetime.datetime | None):
        answered_at (datetime.datetime | None):
        at (datetime.datetime):
        customer (str):
        id (int):
        kind (RequestKind):
        order (str):
        overdue (bool): Still open after answer_by
        stages (list[RequestStagePublic]):
        state (RequestState):
        text (str):
    """

    actor: str
    actor_name: str
    answer_by: datetime.datetime | None
    answered_at: datetime.datetime | None
    at: datetime.datetime
    customer: str
    id: int
    kind: RequestKind
    order: str
    overdue: bool
    stages: list[RequestStagePublic]
    state: RequestState
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor

        actor_name = self.actor_name

        answer_by: None | str
        if isinstance(self.answer_by, datetime.datetime):
            answer_by = self.answer_by.isoformat()
        else:
            answer_by = self.answer_by

        answered_at: None | str
        if isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        at = self.at.isoformat()

        customer = self.customer

        id = self.id

        kind = self.kind.value

        order = self.order

        overdue = self.overdue

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        state = self.state.value

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "actor_name": actor_name,
                "answer_by": answer_by,
                "answered_at": answered_at,
                "at": at,
                "customer": customer,
                "id": id,
                "kind": kind,
                "order": order,
                "overdue": overdue,
                "stages": stages,
                "state": state,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.request_stage_public import RequestStagePublic  # noqa: PLC0415

        d = dict(src_dict)
        actor = d.pop("actor")

        actor_name = d.pop("actor_name")

        def _parse_answer_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answer_by_type_0 = datetime.datetime.fromisoformat(data)

                return answer_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        answer_by = _parse_answer_by(d.pop("answer_by"))

        def _parse_answered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_at_type_0 = datetime.datetime.fromisoformat(data)

                return answered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        answered_at = _parse_answered_at(d.pop("answered_at"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        customer = d.pop("customer")

        id = d.pop("id")

        kind = RequestKind(d.pop("kind"))

        order = d.pop("order")

        overdue = d.pop("overdue")

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = RequestStagePublic.from_dict(stages_item_data)

            stages.append(stages_item)

        state = RequestState(d.pop("state"))

        text = d.pop("text")

        request_public = cls(
            actor=actor,
            actor_name=actor_name,
            answer_by=answer_by,
            answered_at=answered_at,
            at=at,
            customer=customer,
            id=id,
            kind=kind,
            order=order,
            overdue=overdue,
            stages=stages,
            state=state,
            text=text,
        )

        request_public.additional_properties = d
        return request_public

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
