from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.flow_create_texts import FlowCreateTexts
    from ..models.reason_code_definition import ReasonCodeDefinition
    from ..models.stage_definition_input import StageDefinitionInput


T = TypeVar("T", bound="FlowCreate")


@_attrs_define
class FlowCreate:
    """
    Attributes:
        key (str):
        name (str):
        stages (list[StageDefinitionInput]):
        reason_codes (list[ReasonCodeDefinition] | Unset): Codes this flow adds to the standard ones (or rewords)
        texts (FlowCreateTexts | Unset): Customer texts: stage key -> stage status -> {en, id}
    """

    key: str
    name: str
    stages: list[StageDefinitionInput]
    reason_codes: list[ReasonCodeDefinition] | Unset = UNSET
    texts: FlowCreateTexts | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        name = self.name

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        reason_codes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.reason_codes, Unset):
            reason_codes = []
            for reason_codes_item_data in self.reason_codes:
                reason_codes_item = reason_codes_item_data.to_dict()
                reason_codes.append(reason_codes_item)

        texts: dict[str, Any] | Unset = UNSET
        if not isinstance(self.texts, Unset):
            texts = self.texts.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "name": name,
                "stages": stages,
            }
        )
        if reason_codes is not UNSET:
            field_dict["reason_codes"] = reason_codes
        if texts is not UNSET:
            field_dict["texts"] = texts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flow_create_texts import FlowCreateTexts  # noqa: PLC0415
        from ..models.reason_code_definition import ReasonCodeDefinition  # noqa: PLC0415
        from ..models.stage_definition_input import StageDefinitionInput  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        name = d.pop("name")

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = StageDefinitionInput.from_dict(stages_item_data)

            stages.append(stages_item)

        _reason_codes = d.pop("reason_codes", UNSET)
        reason_codes: list[ReasonCodeDefinition] | Unset = UNSET
        if _reason_codes is not UNSET:
            reason_codes = []
            for reason_codes_item_data in _reason_codes:
                reason_codes_item = ReasonCodeDefinition.from_dict(reason_codes_item_data)

                reason_codes.append(reason_codes_item)

        _texts = d.pop("texts", UNSET)
        texts: FlowCreateTexts | Unset
        if isinstance(_texts, Unset):
            texts = UNSET
        else:
            texts = FlowCreateTexts.from_dict(_texts)

        flow_create = cls(
            key=key,
            name=name,
            stages=stages,
            reason_codes=reason_codes,
            texts=texts,
        )

        return flow_create
