from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.payload_mapping_status_values_additional_property import PayloadMappingStatusValuesAdditionalProperty

T = TypeVar("T", bound="PayloadMappingStatusValues")


@_attrs_define
class PayloadMappingStatusValues:
    """Their status value -> ours"""

    additional_properties: dict[str, PayloadMappingStatusValuesAdditionalProperty] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        payload_mapping_status_values = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = PayloadMappingStatusValuesAdditionalProperty(prop_dict)

            additional_properties[prop_name] = additional_property

        payload_mapping_status_values.additional_properties = additional_properties
        return payload_mapping_status_values

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> PayloadMappingStatusValuesAdditionalProperty:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: PayloadMappingStatusValuesAdditionalProperty) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
