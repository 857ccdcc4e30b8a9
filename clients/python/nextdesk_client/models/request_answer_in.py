from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.outcome import Outcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="RequestAnswerIn")


@_attrs_define
class RequestAnswerIn:
    """
    Attributes:
        text (str): The department's answer
        outcome (None | Outcome | Unset): For a change: accepted or refused. A question needs none
        stage (None | str | Unset): The stage answered for; by default every unanswered stage of the caller's
            departments
    """

    text: str
    outcome: None | Outcome | Unset = UNSET
    stage: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        elif isinstance(self.outcome, Outcome):
            outcome = self.outcome.value
        else:
            outcome = self.outcome

        stage: None | str | Unset
        if isinstance(self.stage, Unset):
            stage = UNSET
        else:
            stage = self.stage

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
            }
        )
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if stage is not UNSET:
            field_dict["stage"] = stage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        def _parse_outcome(data: object) -> None | Outcome | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = Outcome(data)

                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Outcome | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))

        def _parse_stage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stage = _parse_stage(d.pop("stage", UNSET))

        request_answer_in = cls(
            text=text,
            outcome=outcome,
            stage=stage,
        )

        return request_answer_in
