from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.news import News
    from ..models.order_summary import OrderSummary
    from ..models.overdue_stage import OverdueStage
    from ..models.waiting import Waiting


T = TypeVar("T", bound="QueueItem")


@_attrs_define
class QueueItem:
    """
    Attributes:
        order (OrderSummary):
        last_acknowledged_at (datetime.datetime | None | Unset):
        news (News | None | Unset):
        overdue (list[OverdueStage] | Unset):
        waiting (None | Unset | Waiting):
    """

    order: OrderSummary
    last_acknowledged_at: datetime.datetime | None | Unset = UNSET
    news: News | None | Unset = UNSET
    overdue: list[OverdueStage] | Unset = UNSET
    waiting: None | Unset | Waiting = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.news import News  # noqa: PLC0415
        from ..models.waiting import Waiting  # noqa: PLC0415

        order = self.order.to_dict()

        last_acknowledged_at: None | str | Unset
        if isinstance(self.last_acknowledged_at, Unset):
            last_acknowledged_at = UNSET
        elif isinstance(self.last_acknowledged_at, datetime.datetime):
            last_acknowledged_at = self.last_acknowledged_at.isoformat()
        else:
            last_acknowledged_at = self.last_acknowledged_at

        news: dict[str, Any] | None | Unset
        if isinstance(self.news, Unset):
            news = UNSET
        elif isinstance(self.news, News):
            news = self.news.to_dict()
        else:
            news = self.news

        overdue: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.overdue, Unset):
            overdue = []
            for overdue_item_data in self.overdue:
                overdue_item = overdue_item_data.to_dict()
                overdue.append(overdue_item)

        waiting: dict[str, Any] | None | Unset
        if isinstance(self.waiting, Unset):
            waiting = UNSET
        elif isinstance(self.waiting, Waiting):
            waiting = self.waiting.to_dict()
        else:
            waiting = self.waiting

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "order": order,
            }
        )
        if last_acknowledged_at is not UNSET:
            field_dict["last_acknowledged_at"] = last_acknowledged_at
        if news is not UNSET:
            field_dict["news"] = news
        if overdue is not UNSET:
            field_dict["overdue"] = overdue
        if waiting is not UNSET:
            field_dict["waiting"] = waiting

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.news import News  # noqa: PLC0415
        from ..models.order_summary import OrderSummary  # noqa: PLC0415
        from ..models.overdue_stage import OverdueStage  # noqa: PLC0415
        from ..models.waiting import Waiting  # noqa: PLC0415

        d = dict(src_dict)
        order = OrderSummary.from_dict(d.pop("order"))

        def _parse_last_acknowledged_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_acknowledged_at = _parse_last_acknowledged_at(d.pop("last_acknowledged_at", UNSET))

        def _parse_news(data: object) -> News | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                news_type_0 = News.from_dict(data)

                return news_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(News | None | Unset, data)

        news = _parse_news(d.pop("news", UNSET))

        _overdue = d.pop("overdue", UNSET)
        overdue: list[OverdueStage] | Unset = UNSET
        if _overdue is not UNSET:
            overdue = []
            for overdue_item_data in _overdue:
                overdue_item = OverdueStage.from_dict(overdue_item_data)

                overdue.append(overdue_item)

        def _parse_waiting(data: object) -> None | Unset | Waiting:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                waiting_type_0 = Waiting.from_dict(data)

                return waiting_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | Waiting, data)

        waiting = _parse_waiting(d.pop("waiting", UNSET))

        queue_item = cls(
            order=order,
            last_acknowledged_at=last_acknowledged_at,
            news=news,
            overdue=overdue,
            waiting=waiting,
        )

        queue_item.additional_properties = d
        return queue_item

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
