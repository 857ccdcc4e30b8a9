from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_in import CustomerIn
    from ..models.money_in_input import MoneyInInput


T = TypeVar("T", bound="OrderCreate")


@_attrs_define
class OrderCreate:
    """
    Attributes:
        customer (CustomerIn):
        promised_at (datetime.datetime): What the desk promised the customer
        quoted_cost (MoneyInInput): Money as a request gives it: a non-negative decimal string with a currency.
        reference (str): The customer's order number; unique. 1 to 64 characters: a letter or digit, then letters,
            digits, '.', '_' or '-' (no '/', so that every route can address it)
        flow (str | Unset):  Default: 'standard'.
    """

    customer: CustomerIn
    promised_at: datetime.datetime
    quoted_cost: MoneyInInput
    reference: str
    flow: str | Unset = "standard"

    def to_dict(self) -> dict[str, Any]:
        customer = self.customer.to_dict()

        promised_at = self.promised_at.isoformat()

        quoted_cost = self.quoted_cost.to_dict()

        reference = self.reference

        flow = self.flow

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer": customer,
                "promised_at": promised_at,
                "quoted_cost": quoted_cost,
                "reference": reference,
            }
        )
        if flow is not UNSET:
            field_dict["flow"] = flow

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_in import CustomerIn  # noqa: PLC0415
        from ..models.money_in_input import MoneyInInput  # noqa: PLC0415

        d = dict(src_dict)
        customer = CustomerIn.from_dict(d.pop("customer"))

        promised_at = datetime.datetime.fromisoformat(d.pop("promised_at"))

        quoted_cost = MoneyInInput.from_dict(d.pop("quoted_cost"))

        reference = d.pop("reference")

        flow = d.pop("flow", UNSET)

        order_create = cls(
            customer=customer,
            promised_at=promised_at,
            quoted_cost=quoted_cost,
            reference=reference,
            flow=flow,
        )

        return order_create
