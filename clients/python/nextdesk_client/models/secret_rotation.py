from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SecretRotation")


@_attrs_define
class SecretRotation:
    """
    Attributes:
        overlap_minutes (int | Unset): How long the old secret still verifies (at most 7 days) Default: 1440.
        secret (None | str | Unset): The new whsec_ secret; absent: made
    """

    overlap_minutes: int | Unset = 1440
    secret: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        overlap_minutes = self.overlap_minutes

        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if overlap_minutes is not UNSET:
            field_dict["overlap_minutes"] = overlap_minutes
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        overlap_minutes = d.pop("overlap_minutes", UNSET)

        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))

        secret_rotation = cls(
            overlap_minutes=overlap_minutes,
            secret=secret,
        )

        return secret_rotation
