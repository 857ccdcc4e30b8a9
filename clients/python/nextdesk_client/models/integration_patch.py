from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.payload_mapping import PayloadMapping


T = TypeVar("T", bound="IntegrationPatch")


@_attrs_define
class IntegrationPatch:
    """
    Attributes:
        departments (list[str] | Unset):
        description (None | str | Unset):
        enabled (bool | Unset):
        mapping (None | PayloadMapping | Unset): null: switch to our own shape
        stages (list[str] | Unset):
    """

    departments: list[str] | Unset = UNSET
    description: None | str | Unset = UNSET
    enabled: bool | Unset = UNSET
    mapping: None | PayloadMapping | Unset = UNSET
    stages: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.payload_mapping import PayloadMapping  # noqa: PLC0415

        departments: list[str] | Unset = UNSET
        if not isinstance(self.departments, Unset):
            departments = self.departments

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled = self.enabled

        mapping: dict[str, Any] | None | Unset
        if isinstance(self.mapping, Unset):
            mapping = UNSET
        elif isinstance(self.mapping, PayloadMapping):
            mapping = self.mapping.to_dict()
        else:
            mapping = self.mapping

        stages: list[str] | Unset = UNSET
        if not isinstance(self.stages, Unset):
            stages = self.stages

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if departments is not UNSET:
            field_dict["departments"] = departments
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if mapping is not UNSET:
            field_dict["mapping"] = mapping
        if stages is not UNSET:
            field_dict["stages"] = stages

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payload_mapping import PayloadMapping  # noqa: PLC0415

        d = dict(src_dict)
        departments = cast(list[str], d.pop("departments", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        enabled = d.pop("enabled", UNSET)

        def _parse_mapping(data: object) -> None | PayloadMapping | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                mapping_type_0 = PayloadMapping.from_dict(data)

                return mapping_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PayloadMapping | Unset, data)

        mapping = _parse_mapping(d.pop("mapping", UNSET))

        stages = cast(list[str], d.pop("stages", UNSET))

        integration_patch = cls(
            departments=departments,
            description=description,
            enabled=enabled,
            mapping=mapping,
            stages=stages,
        )

        return integration_patch
