from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.payload_mapping_fixed import PayloadMappingFixed
    from ..models.payload_mapping_paths import PayloadMappingPaths
    from ..models.payload_mapping_status_values import PayloadMappingStatusValues


T = TypeVar("T", bound="PayloadMapping")


@_attrs_define
class PayloadMapping:
    """How another system's payload maps to a stage update.

    Attributes:
        paths (PayloadMappingPaths): Our field (order, stage, status, reason, internal_note, customer_note) -> a dotted
            path in their JSON; a number picks a list item
        fixed (PayloadMappingFixed | Unset): Our field -> a fixed value, e.g. {'stage': 'shipping'}
        status_values (PayloadMappingStatusValues | Unset): Their status value -> ours
    """

    paths: PayloadMappingPaths
    fixed: PayloadMappingFixed | Unset = UNSET
    status_values: PayloadMappingStatusValues | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        paths = self.paths.to_dict()

        fixed: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fixed, Unset):
            fixed = self.fixed.to_dict()

        status_values: dict[str, Any] | Unset = UNSET
        if not isinstance(self.status_values, Unset):
            status_values = self.status_values.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "paths": paths,
            }
        )
        if fixed is not UNSET:
            field_dict["fixed"] = fixed
        if status_values is not UNSET:
            field_dict["status_values"] = status_values

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payload_mapping_fixed import PayloadMappingFixed  # noqa: PLC0415
        from ..models.payload_mapping_paths import PayloadMappingPaths  # noqa: PLC0415
        from ..models.payload_mapping_status_values import PayloadMappingStatusValues  # noqa: PLC0415

        d = dict(src_dict)
        paths = PayloadMappingPaths.from_dict(d.pop("paths"))

        _fixed = d.pop("fixed", UNSET)
        fixed: PayloadMappingFixed | Unset
        if isinstance(_fixed, Unset):
            fixed = UNSET
        else:
            fixed = PayloadMappingFixed.from_dict(_fixed)

        _status_values = d.pop("status_values", UNSET)
        status_values: PayloadMappingStatusValues | Unset
        if isinstance(_status_values, Unset):
            status_values = UNSET
        else:
            status_values = PayloadMappingStatusValues.from_dict(_status_values)

        payload_mapping = cls(
            paths=paths,
            fixed=fixed,
            status_values=status_values,
        )

        return payload_mapping
