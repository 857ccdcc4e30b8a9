from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.request_kind import RequestKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="RequestIn")


@_attrs_define
class RequestIn:
    """
    Attributes:
        kind (RequestKind):
        text (str): What the customer asks or wants, in the agent's words
        answer_by (datetime.datetime | None | Unset): When the desk needs the answer; request.overdue is raised once it
            passes
        stage (None | str | Unset): The stage asked; by default every stage of the order not yet done
    """

    kind: RequestKind
    text: str
    answer_by: datetime.datetime | None | Unset = UNSET
    stage: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        text = self.text

        answer_by: None | str | Unset
        if isinstance(self.answer_by, Unset):
            answer_by = UNSET
        elif isinstance(self.answer_by, datetime.datetime):
            answer_by = self.answer_by.isoformat()
        else:
            answer_by = self.answer_by

        stage: None | str | Unset
        if isinstance(self.stage, Unset):
            stage = UNSET
        else:
            stage = self.stage

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "text": text,
            }
        )
        if answer_by is not UNSET:
            field_dict["answer_by"] = answer_by
        if stage is not UNSET:
            field_dict["stage"] = stage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = RequestKind(d.pop("kind"))

        text = d.pop("text")

        def _parse_answer_by(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answer_by_type_0 = datetime.datetime.fromisoformat(data)

                return answer_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        answer_by = _parse_answer_by(d.pop("answer_by", UNSET))

        def _parse_stage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stage = _parse_stage(d.pop("stage", UNSET))

        request_in = cls(
            kind=kind,
            text=text,
            answer_by=answer_by,
            stage=stage,
        )

        return request_in
