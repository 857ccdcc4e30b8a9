from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.period_in import PeriodIn


T = TypeVar("T", bound="OpenDateIn")


@_attrs_define
class OpenDateIn:
    """
    Attributes:
        date (datetime.date):
        periods (list[PeriodIn]):
    """

    date: datetime.date
    periods: list[PeriodIn]

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        periods = []
        for periods_item_data in self.periods:
            periods_item = periods_item_data.to_dict()
            periods.append(periods_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "date": date,
                "periods": periods,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.period_in import PeriodIn  # noqa: PLC0415

        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))

        periods = []
        _periods = d.pop("periods")
        for periods_item_data in _periods:
            periods_item = PeriodIn.from_dict(periods_item_data)

            periods.append(periods_item)

        open_date_in = cls(
            date=date,
            periods=periods,
        )

        return open_date_in
