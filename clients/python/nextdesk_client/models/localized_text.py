from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LocalizedText")


@_attrs_define
class LocalizedText:
    """
    Attributes:
        en (str):
        id (str):
    """

    en: str
    id: str

    def to_dict(self) -> dict[str, Any]:
        en = self.en

        id = self.id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "en": en,
                "id": id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        en = d.pop("en")

        id = d.pop("id")

        localized_text = cls(
            en=en,
            id=id,
        )

        return localized_text
