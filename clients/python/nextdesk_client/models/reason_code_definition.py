from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.localized_text import LocalizedText


T = TypeVar("T", bound="ReasonCodeDefinition")


@_attrs_define
class ReasonCodeDefinition:
    """
    Attributes:
        code (str):
        customer (LocalizedText):
        label (LocalizedText):
    """

    code: str
    customer: LocalizedText
    label: LocalizedText

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        customer = self.customer.to_dict()

        label = self.label.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "customer": customer,
                "label": label,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.localized_text import LocalizedText  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        customer = LocalizedText.from_dict(d.pop("customer"))

        label = LocalizedText.from_dict(d.pop("label"))

        reason_code_definition = cls(
            code=code,
            customer=customer,
            label=label,
        )

        return reason_code_definition
