from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.acknowledgement_public import AcknowledgementPublic
    from ..models.cost_public import CostPublic
    from ..models.customer_public import CustomerPublic
    from ..models.eta_public import EtaPublic
    from ..models.order_public_customer_message import OrderPublicCustomerMessage
    from ..models.order_warning import OrderWarning
    from ..models.stage_public import StagePublic


T = TypeVar("T", bound="OrderPublic")


@_attrs_define
class OrderPublic:
    """The status view: everything an agent needs in one response.

    Attributes:
        at_risk (bool):
        cancel_reason (None | str):
        cost (CostPublic):
        created_at (datetime.datetime):
        current_stages (list[str]):
        customer (CustomerPublic):
        customer_message (OrderPublicCustomerMessage):
        eta (EtaPublic):
        flow (str):
        promised_at (datetime.datetime):
        reference (str):
        stages (list[StagePublic]):
        state (str):
        updated_at (datetime.datetime):
        version (int):
        last_acknowledgement (AcknowledgementPublic | None | Unset): What the customer was last told, and whether the
            order has moved since
        warnings (list[OrderWarning] | Unset): What was accepted but deserves a look: a promise due while the calendar
            of a stage the order ends with is closed (a night, a weekend, a holiday). Empty once the order is closed
    """

    at_risk: bool
    cancel_reason: None | str
    cost: CostPublic
    created_at: datetime.datetime
    current_stages: list[str]
    customer: CustomerPublic
    customer_message: OrderPublicCustomerMessage
    eta: EtaPublic
    flow: str
    promised_at: datetime.datetime
    reference: str
    stages: list[StagePublic]
    state: str
    updated_at: datetime.datetime
    version: int
    last_acknowledgement: AcknowledgementPublic | None | Unset = UNSET
    warnings: list[OrderWarning] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.acknowledgement_public import AcknowledgementPublic  # noqa: PLC0415

        at_risk = self.at_risk

        cancel_reason: None | str
        cancel_reason = self.cancel_reason

        cost = self.cost.to_dict()

        created_at = self.created_at.isoformat()

        current_stages = self.current_stages

        customer = self.customer.to_dict()

        customer_message = self.customer_message.to_dict()

        eta = self.eta.to_dict()

        flow = self.flow

        promised_at = self.promised_at.isoformat()

        reference = self.reference

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        state = self.state

        updated_at = self.updated_at.isoformat()

        version = self.version

        last_acknowledgement: dict[str, Any] | None | Unset
        if isinstance(self.last_acknowledgement, Unset):
            last_acknowledgement = UNSET
        elif isinstance(self.last_acknowledgement, AcknowledgementPublic):
            last_acknowledgement = self.last_acknowledgement.to_dict()
        else:
            last_acknowledgement = self.last_acknowledgement

        warnings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = []
            for warnings_item_data in self.warnings:
                warnings_item = warnings_item_data.to_dict()
                warnings.append(warnings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at_risk": at_risk,
                "cancel_reason": cancel_reason,
                "cost": cost,
                "created_at": created_at,
                "current_stages": current_stages,
                "customer": customer,
                "customer_message": customer_message,
                "eta": eta,
                "flow": flow,
                "promised_at": promised_at,
                "reference": reference,
                "stages": stages,
                "state": state,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if last_acknowledgement is not UNSET:
            field_dict["last_acknowledgement"] = last_acknowledgement
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.acknowledgement_public import AcknowledgementPublic  # noqa: PLC0415
        from ..models.cost_public import CostPublic  # noqa: PLC0415
        from ..models.customer_public import CustomerPublic  # noqa: PLC0415
        from ..models.eta_public import EtaPublic  # noqa: PLC0415
        from ..models.order_public_customer_message import OrderPublicCustomerMessage  # noqa: PLC0415
        from ..models.order_warning import OrderWarning  # noqa: PLC0415
        from ..models.stage_public import StagePublic  # noqa: PLC0415

        d = dict(src_dict)
        at_risk = d.pop("at_risk")

        def _parse_cancel_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cancel_reason = _parse_cancel_reason(d.pop("cancel_reason"))

        cost = CostPublic.from_dict(d.pop("cost"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        current_stages = cast(list[str], d.pop("current_stages"))

        customer = CustomerPublic.from_dict(d.pop("customer"))

        customer_message = OrderPublicCustomerMessage.from_dict(d.pop("customer_message"))

        eta = EtaPublic.from_dict(d.pop("eta"))

        flow = d.pop("flow")

        promised_at = datetime.datetime.fromisoformat(d.pop("promised_at"))

        reference = d.pop("reference")

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = StagePublic.from_dict(stages_item_data)

            stages.append(stages_item)

        state = d.pop("state")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_last_acknowledgement(data: object) -> AcknowledgementPublic | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_acknowledgement_type_0 = AcknowledgementPublic.from_dict(data)

                return last_acknowledgement_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AcknowledgementPublic | None | Unset, data)

        last_acknowledgement = _parse_last_acknowledgement(d.pop("last_acknowledgement", UNSET))

        _warnings = d.pop("warnings", UNSET)
        warnings: list[OrderWarning] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = OrderWarning.from_dict(warnings_item_data)

                warnings.append(warnings_item)

        order_public = cls(
            at_risk=at_risk,
            cancel_reason=cancel_reason,
            cost=cost,
            created_at=created_at,
            current_stages=current_stages,
            customer=customer,
            customer_message=customer_message,
            eta=eta,
            flow=flow,
            promised_at=promised_at,
            reference=reference,
            stages=stages,
            state=state,
            updated_at=updated_at,
            version=version,
            last_acknowledgement=last_acknowledgement,
            warnings=warnings,
        )

        order_public.additional_properties = d
        return order_public

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
