from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.queue_item import QueueItem


T = TypeVar("T", bound="Queues")


@_attrs_define
class Queues:
    """
    Attributes:
        at_risk (list[QueueItem]): Open orders whose ETA is past the promise, or late; soonest promise first
        generated_at (datetime.datetime):
        overdue (list[QueueItem]): Orders with a stage silent past its promised update or finish
        recently_updated (list[QueueItem]):
        to_tell (list[QueueItem]): Orders with a significant change the customer has not been told of; newest news first
        waiting_on_back_office (list[QueueItem] | Unset): Orders with a desk request not every department has answered;
            soonest due first
    """

    at_risk: list[QueueItem]
    generated_at: datetime.datetime
    overdue: list[QueueItem]
    recently_updated: list[QueueItem]
    to_tell: list[QueueItem]
    waiting_on_back_office: list[QueueItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at_risk = []
        for at_risk_item_data in self.at_risk:
            at_risk_item = at_risk_item_data.to_dict()
            at_risk.append(at_risk_item)

        generated_at = self.generated_at.isoformat()

        overdue = []
        for overdue_item_data in self.overdue:
            overdue_item = overdue_item_data.to_dict()
            overdue.append(overdue_item)

        recently_updated = []
        for recently_updated_item_data in self.recently_updated:
            recently_updated_item = recently_updated_item_data.to_dict()
            recently_updated.append(recently_updated_item)

        to_tell = []
        for to_tell_item_data in self.to_tell:
            to_tell_item = to_tell_item_data.to_dict()
            to_tell.append(to_tell_item)

        waiting_on_back_office: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.waiting_on_back_office, Unset):
            waiting_on_back_office = []
            for waiting_on_back_office_item_data in self.waiting_on_back_office:
                waiting_on_back_office_item = waiting_on_back_office_item_data.to_dict()
                waiting_on_back_office.append(waiting_on_back_office_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at_risk": at_risk,
                "generated_at": generated_at,
                "overdue": overdue,
                "recently_updated": recently_updated,
                "to_tell": to_tell,
            }
        )
        if waiting_on_back_office is not UNSET:
            field_dict["waiting_on_back_office"] = waiting_on_back_office

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.queue_item import QueueItem  # noqa: PLC0415

        d = dict(src_dict)
        at_risk = []
        _at_risk = d.pop("at_risk")
        for at_risk_item_data in _at_risk:
            at_risk_item = QueueItem.from_dict(at_risk_item_data)

            at_risk.append(at_risk_item)

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        overdue = []
        _overdue = d.pop("overdue")
        for overdue_item_data in _overdue:
            overdue_item = QueueItem.from_dict(overdue_item_data)

            overdue.append(overdue_item)

        recently_updated = []
        _recently_updated = d.pop("recently_updated")
        for recently_updated_item_data in _recently_updated:
            recently_updated_item = QueueItem.from_dict(recently_updated_item_data)

            recently_updated.append(recently_updated_item)

        to_tell = []
        _to_tell = d.pop("to_tell")
        for to_tell_item_data in _to_tell:
            to_tell_item = QueueItem.from_dict(to_tell_item_data)

            to_tell.append(to_tell_item)

        _waiting_on_back_office = d.pop("waiting_on_back_office", UNSET)
        waiting_on_back_office: list[QueueItem] | Unset = UNSET
        if _waiting_on_back_office is not UNSET:
            waiting_on_back_office = []
            for waiting_on_back_office_item_data in _waiting_on_back_office:
                waiting_on_back_office_item = QueueItem.from_dict(waiting_on_back_office_item_data)

                waiting_on_back_office.append(waiting_on_back_office_item)

        queues = cls(
            at_risk=at_risk,
            generated_at=generated_at,
            overdue=overdue,
            recently_updated=recently_updated,
            to_tell=to_tell,
            waiting_on_back_office=waiting_on_back_office,
        )

        queues.additional_properties = d
        return queues

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
