from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.flow_public_texts import FlowPublicTexts
    from ..models.reason_code_public import ReasonCodePublic
    from ..models.stage_definition_output import StageDefinitionOutput


T = TypeVar("T", bound="FlowPublic")


@_attrs_define
class FlowPublic:
    """
    Attributes:
        created_at (datetime.datetime):
        key (str):
        name (str):
        reason_codes (list[ReasonCodePublic]):
        stages (list[StageDefinitionOutput]):
        texts (FlowPublicTexts):
    """

    created_at: datetime.datetime
    key: str
    name: str
    reason_codes: list[ReasonCodePublic]
    stages: list[StageDefinitionOutput]
    texts: FlowPublicTexts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        key = self.key

        name = self.name

        reason_codes = []
        for reason_codes_item_data in self.reason_codes:
            reason_codes_item = reason_codes_item_data.to_dict()
            reason_codes.append(reason_codes_item)

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        texts = self.texts.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "key": key,
                "name": name,
                "reason_codes": reason_codes,
                "stages": stages,
                "texts": texts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flow_public_texts import FlowPublicTexts  # noqa: PLC0415
        from ..models.reason_code_public import ReasonCodePublic  # noqa: PLC0415
        from ..models.stage_definition_output import StageDefinitionOutput  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        key = d.pop("key")

        name = d.pop("name")

        reason_codes = []
        _reason_codes = d.pop("reason_codes")
        for reason_codes_item_data in _reason_codes:
            reason_codes_item = ReasonCodePublic.from_dict(reason_codes_item_data)

            reason_codes.append(reason_codes_item)

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = StageDefinitionOutput.from_dict(stages_item_data)

            stages.append(stages_item)

        texts = FlowPublicTexts.from_dict(d.pop("texts"))

        flow_public = cls(
            created_at=created_at,
            key=key,
            name=name,
            reason_codes=reason_codes,
            stages=stages,
            texts=texts,
        )

        flow_public.additional_properties = d
        return flow_public

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
