from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.endpoint_status import EndpointStatus
from ..models.webhook_update_event_types_item import WebhookUpdateEventTypesItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookUpdate")


@_attrs_define
class WebhookUpdate:
    """Only the fields given change; ``status`` pauses (``paused``) or resumes (``active``).

    Attributes:
        departments (list[str] | Unset):
        description (None | str | Unset):
        event_types (list[WebhookUpdateEventTypesItem] | Unset):
        ordered (bool | Unset): Deliver in event order: one delivery at a time, each sent once the one before it was
            delivered (or given up); a failing delivery holds back the ones after it. Without it, several deliveries are in
            flight at once and a retry may arrive after later events
        orders (list[str] | Unset):
        significant_only (bool | Unset):
        status (EndpointStatus | Unset):
        url (str | Unset):
    """

    departments: list[str] | Unset = UNSET
    description: None | str | Unset = UNSET
    event_types: list[WebhookUpdateEventTypesItem] | Unset = UNSET
    ordered: bool | Unset = UNSET
    orders: list[str] | Unset = UNSET
    significant_only: bool | Unset = UNSET
    status: EndpointStatus | Unset = UNSET
    url: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        departments: list[str] | Unset = UNSET
        if not isinstance(self.departments, Unset):
            departments = self.departments

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = []
            for event_types_item_data in self.event_types:
                event_types_item = event_types_item_data.value
                event_types.append(event_types_item)

        ordered = self.ordered

        orders: list[str] | Unset = UNSET
        if not isinstance(self.orders, Unset):
            orders = self.orders

        significant_only = self.significant_only

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if departments is not UNSET:
            field_dict["departments"] = departments
        if description is not UNSET:
            field_dict["description"] = description
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if ordered is not UNSET:
            field_dict["ordered"] = ordered
        if orders is not UNSET:
            field_dict["orders"] = orders
        if significant_only is not UNSET:
            field_dict["significant_only"] = significant_only
        if status is not UNSET:
            field_dict["status"] = status
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        departments = cast(list[str], d.pop("departments", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _event_types = d.pop("event_types", UNSET)
        event_types: list[WebhookUpdateEventTypesItem] | Unset = UNSET
        if _event_types is not UNSET:
            event_types = []
            for event_types_item_data in _event_types:
                event_types_item = WebhookUpdateEventTypesItem(event_types_item_data)

                event_types.append(event_types_item)

        ordered = d.pop("ordered", UNSET)

        orders = cast(list[str], d.pop("orders", UNSET))

        significant_only = d.pop("significant_only", UNSET)

        _status = d.pop("status", UNSET)
        status: EndpointStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = EndpointStatus(_status)

        url = d.pop("url", UNSET)

        webhook_update = cls(
            departments=departments,
            description=description,
            event_types=event_types,
            ordered=ordered,
            orders=orders,
            significant_only=significant_only,
            status=status,
            url=url,
        )

        return webhook_update
