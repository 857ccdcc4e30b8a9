from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.customer_public import CustomerPublic


T = TypeVar("T", bound="OrderSummary")


@_attrs_define
class OrderSummary:
    """
    Attributes:
        at_risk (bool):
        current_stages (list[str]):
        customer (CustomerPublic):
        eta_latest_at (datetime.datetime | None):
        eta_likely_at (datetime.datetime | None):
        flow (str):
        promised_at (datetime.datetime):
        reference (str):
        state (str):
        updated_at (datetime.datetime):
        version (int):
    """

    at_risk: bool
    current_stages: list[str]
    customer: CustomerPublic
    eta_latest_at: datetime.datetime | None
    eta_likely_at: datetime.datetime | None
    flow: str
    promised_at: datetime.datetime
    reference: str
    state: str
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at_risk = self.at_risk

        current_stages = self.current_stages

        customer = self.customer.to_dict()

        eta_latest_at: None | str
        if isinstance(self.eta_latest_at, datetime.datetime):
            eta_latest_at = self.eta_latest_at.isoformat()
        else:
            eta_latest_at = self.eta_latest_at

        eta_likely_at: None | str
        if isinstance(self.eta_likely_at, datetime.datetime):
            eta_likely_at = self.eta_likely_at.isoformat()
        else:
            eta_likely_at = self.eta_likely_at

        flow = self.flow

        promised_at = self.promised_at.isoformat()

        reference = self.reference

        state = self.state

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at_risk": at_risk,
                "current_stages": current_stages,
                "customer": customer,
                "eta_latest_at": eta_latest_at,
                "eta_likely_at": eta_likely_at,
                "flow": flow,
                "promised_at": promised_at,
                "reference": reference,
                "state": state,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_public import CustomerPublic  # noqa: PLC0415

        d = dict(src_dict)
        at_risk = d.pop("at_risk")

        current_stages = cast(list[str], d.pop("current_stages"))

        customer = CustomerPublic.from_dict(d.pop("customer"))

        def _parse_eta_latest_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                eta_latest_at_type_0 = datetime.datetime.fromisoformat(data)

                return eta_latest_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        eta_latest_at = _parse_eta_latest_at(d.pop("eta_latest_at"))

        def _parse_eta_likely_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                eta_likely_at_type_0 = datetime.datetime.fromisoformat(data)

                return eta_likely_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        eta_likely_at = _parse_eta_likely_at(d.pop("eta_likely_at"))

        flow = d.pop("flow")

        promised_at = datetime.datetime.fromisoformat(d.pop("promised_at"))

        reference = d.pop("reference")

        state = d.pop("state")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        order_summary = cls(
            at_risk=at_risk,
            current_stages=current_stages,
            customer=customer,
            eta_latest_at=eta_latest_at,
            eta_likely_at=eta_likely_at,
            flow=flow,
            promised_at=promised_at,
            reference=reference,
            state=state,
            updated_at=updated_at,
            version=version,
        )

        order_summary.additional_properties = d
        return order_summary

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
