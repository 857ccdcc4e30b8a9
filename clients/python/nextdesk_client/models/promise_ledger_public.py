from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cost_public import CostPublic
    from ..models.estimate_revision_public import EstimateRevisionPublic
    from ..models.eta_public import EtaPublic


T = TypeVar("T", bound="PromiseLedgerPublic")


@_attrs_define
class PromiseLedgerPublic:
    """What was promised, the current estimate, and every revision in between, oldest first.

    Attributes:
        at_risk (bool):
        cost (CostPublic):
        eta (EtaPublic):
        promised_at (datetime.datetime):
        reference (str):
        revisions (list[EstimateRevisionPublic]):
        state (str):
    """

    at_risk: bool
    cost: CostPublic
    eta: EtaPublic
    promised_at: datetime.datetime
    reference: str
    revisions: list[EstimateRevisionPublic]
    state: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at_risk = self.at_risk

        cost = self.cost.to_dict()

        eta = self.eta.to_dict()

        promised_at = self.promised_at.isoformat()

        reference = self.reference

        revisions = []
        for revisions_item_data in self.revisions:
            revisions_item = revisions_item_data.to_dict()
            revisions.append(revisions_item)

        state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at_risk": at_risk,
                "cost": cost,
                "eta": eta,
                "promised_at": promised_at,
                "reference": reference,
                "revisions": revisions,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cost_public import CostPublic  # noqa: PLC0415
        from ..models.estimate_revision_public import EstimateRevisionPublic  # noqa: PLC0415
        from ..models.eta_public import EtaPublic  # noqa: PLC0415

        d = dict(src_dict)
        at_risk = d.pop("at_risk")

        cost = CostPublic.from_dict(d.pop("cost"))

        eta = EtaPublic.from_dict(d.pop("eta"))

        promised_at = datetime.datetime.fromisoformat(d.pop("promised_at"))

        reference = d.pop("reference")

        revisions = []
        _revisions = d.pop("revisions")
        for revisions_item_data in _revisions:
            revisions_item = EstimateRevisionPublic.from_dict(revisions_item_data)

            revisions.append(revisions_item)

        state = d.pop("state")

        promise_ledger_public = cls(
            at_risk=at_risk,
            cost=cost,
            eta=eta,
            promised_at=promised_at,
            reference=reference,
            revisions=revisions,
            state=state,
        )

        promise_ledger_public.additional_properties = d
        return promise_ledger_public

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
