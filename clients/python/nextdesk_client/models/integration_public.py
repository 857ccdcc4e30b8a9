from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.payload_mapping import PayloadMapping


T = TypeVar("T", bound="IntegrationPublic")


@_attrs_define
class IntegrationPublic:
    """
    Attributes:
        created_at (datetime.datetime):
        departments (list[str]):
        description (None | str):
        enabled (bool):
        inbound_path (str):
        mapping (None | PayloadMapping):
        name (str):
        previous_secret_expires_at (datetime.datetime | None): Until then the secret before the last rotation still
            verifies
        stages (list[str]):
        updated_at (datetime.datetime):
    """

    created_at: datetime.datetime
    departments: list[str]
    description: None | str
    enabled: bool
    inbound_path: str
    mapping: None | PayloadMapping
    name: str
    previous_secret_expires_at: datetime.datetime | None
    stages: list[str]
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.payload_mapping import PayloadMapping  # noqa: PLC0415

        created_at = self.created_at.isoformat()

        departments = self.departments

        description: None | str
        description = self.description

        enabled = self.enabled

        inbound_path = self.inbound_path

        mapping: dict[str, Any] | None
        if isinstance(self.mapping, PayloadMapping):
            mapping = self.mapping.to_dict()
        else:
            mapping = self.mapping

        name = self.name

        previous_secret_expires_at: None | str
        if isinstance(self.previous_secret_expires_at, datetime.datetime):
            previous_secret_expires_at = self.previous_secret_expires_at.isoformat()
        else:
            previous_secret_expires_at = self.previous_secret_expires_at

        stages = self.stages

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "departments": departments,
                "description": description,
                "enabled": enabled,
                "inbound_path": inbound_path,
                "mapping": mapping,
                "name": name,
                "previous_secret_expires_at": previous_secret_expires_at,
                "stages": stages,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payload_mapping import PayloadMapping  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        departments = cast(list[str], d.pop("departments"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        enabled = d.pop("enabled")

        inbound_path = d.pop("inbound_path")

        def _parse_mapping(data: object) -> None | PayloadMapping:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                mapping_type_0 = PayloadMapping.from_dict(data)

                return mapping_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PayloadMapping, data)

        mapping = _parse_mapping(d.pop("mapping"))

        name = d.pop("name")

        def _parse_previous_secret_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_secret_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return previous_secret_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        previous_secret_expires_at = _parse_previous_secret_expires_at(d.pop("previous_secret_expires_at"))

        stages = cast(list[str], d.pop("stages"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        integration_public = cls(
            created_at=created_at,
            departments=departments,
            description=description,
            enabled=enabled,
            inbound_path=inbound_path,
            mapping=mapping,
            name=name,
            previous_secret_expires_at=previous_secret_expires_at,
            stages=stages,
            updated_at=updated_at,
        )

        integration_public.additional_properties = d
        return integration_public

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
