from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="CostPublic")


@_attrs_define
class CostPublic:
    """
    Attributes:
        actual (Money): Money is a decimal string with a currency, never a float.
        estimated (Money): Money is a decimal string with a currency, never a float.
        over_quote_percent (float):
        quoted (Money): Money is a decimal string with a currency, never a float.
    """

    actual: Money
    estimated: Money
    over_quote_percent: float
    quoted: Money
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actual = self.actual.to_dict()

        estimated = self.estimated.to_dict()

        over_quote_percent = self.over_quote_percent

        quoted = self.quoted.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actual": actual,
                "estimated": estimated,
                "over_quote_percent": over_quote_percent,
                "quoted": quoted,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        actual = Money.from_dict(d.pop("actual"))

        estimated = Money.from_dict(d.pop("estimated"))

        over_quote_percent = d.pop("over_quote_percent")

        quoted = Money.from_dict(d.pop("quoted"))

        cost_public = cls(
            actual=actual,
            estimated=estimated,
            over_quote_percent=over_quote_percent,
            quoted=quoted,
        )

        cost_public.additional_properties = d
        return cost_public

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
