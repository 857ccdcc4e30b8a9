from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RotateSecretIn")


@_attrs_define
class RotateSecretIn:
    """
    Attributes:
        overlap_hours (float | None | Unset): How long the old secret keeps signing beside the new one (default: a
            setting)
    """

    overlap_hours: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        overlap_hours: float | None | Unset
        if isinstance(self.overlap_hours, Unset):
            overlap_hours = UNSET
        else:
            overlap_hours = self.overlap_hours

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if overlap_hours is not UNSET:
            field_dict["overlap_hours"] = overlap_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_overlap_hours(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        overlap_hours = _parse_overlap_hours(d.pop("overlap_hours", UNSET))

        rotate_secret_in = cls(
            overlap_hours=overlap_hours,
        )

        return rotate_secret_in
