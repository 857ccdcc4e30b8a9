from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outcome import Outcome

T = TypeVar("T", bound="RequestStagePublic")


@_attrs_define
class RequestStagePublic:
    """
    Attributes:
        answer (None | str):
        answered (bool):
        answered_at (datetime.datetime | None):
        answered_by (None | str):
        answered_by_name (None | str):
        department (str):
        name (str):
        outcome (None | Outcome):
        stage (str):
    """

    answer: None | str
    answered: bool
    answered_at: datetime.datetime | None
    answered_by: None | str
    answered_by_name: None | str
    department: str
    name: str
    outcome: None | Outcome
    stage: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answer: None | str
        answer = self.answer

        answered = self.answered

        answered_at: None | str
        if isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        answered_by: None | str
        answered_by = self.answered_by

        answered_by_name: None | str
        answered_by_name = self.answered_by_name

        department = self.department

        name = self.name

        outcome: None | str
        if isinstance(self.outcome, Outcome):
            outcome = self.outcome.value
        else:
            outcome = self.outcome

        stage = self.stage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answer": answer,
                "answered": answered,
                "answered_at": answered_at,
                "answered_by": answered_by,
                "answered_by_name": answered_by_name,
                "department": department,
                "name": name,
                "outcome": outcome,
                "stage": stage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_answer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        answer = _parse_answer(d.pop("answer"))

        answered = d.pop("answered")

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

        def _parse_answered_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        answered_by = _parse_answered_by(d.pop("answered_by"))

        def _parse_answered_by_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        answered_by_name = _parse_answered_by_name(d.pop("answered_by_name"))

        department = d.pop("department")

        name = d.pop("name")

        def _parse_outcome(data: object) -> None | Outcome:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = Outcome(data)

                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Outcome, data)

        outcome = _parse_outcome(d.pop("outcome"))

        stage = d.pop("stage")

        request_stage_public = cls(
            answer=answer,
            answered=answered,
            answered_at=answered_at,
            answered_by=answered_by,
            answered_by_name=answered_by_name,
            department=department,
            name=name,
            outcome=outcome,
            stage=stage,
        )

        request_stage_public.additional_properties = d
        return request_stage_public

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
