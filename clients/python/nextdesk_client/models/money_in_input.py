from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MoneyInInput")


@_attrs_define
class MoneyInInput:
    """Money as a request gives it: a non-negative decimal string with a currency.

    Attributes:
        amount (str): A decimal number of 0 or more written as a string, e.g. "1250000.00": at most 15 digits before the
            point and 4 after; never a JSON number, never negative
        currency (str): ISO 4217 code, e.g. IDR
    """

    amount: str
    currency: str

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        currency = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        currency = d.pop("currency")

        money_in_input = cls(
            amount=amount,
            currency=currency,
        )

        return money_in_input
