from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.period_in import PeriodIn


T = TypeVar("T", bound="WeekIn")


@_attrs_define
class WeekIn:
    """Working periods per weekday; a day left out (or empty) is closed.

    Attributes:
        fri (list[PeriodIn] | Unset):
        mon (list[PeriodIn] | Unset):
        sat (list[PeriodIn] | Unset):
        sun (list[PeriodIn] | Unset):
        thu (list[PeriodIn] | Unset):
        tue (list[PeriodIn] | Unset):
        wed (list[PeriodIn] | Unset):
    """

    fri: list[PeriodIn] | Unset = UNSET
    mon: list[PeriodIn] | Unset = UNSET
    sat: list[PeriodIn] | Unset = UNSET
    sun: list[PeriodIn] | Unset = UNSET
    thu: list[PeriodIn] | Unset = UNSET
    tue: list[PeriodIn] | Unset = UNSET
    wed: list[PeriodIn] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        fri: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fri, Unset):
            fri = []
            for fri_item_data in self.fri:
                fri_item = fri_item_data.to_dict()
                fri.append(fri_item)

        mon: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.mon, Unset):
            mon = []
            for mon_item_data in self.mon:
                mon_item = mon_item_data.to_dict()
                mon.append(mon_item)

        sat: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sat, Unset):
            sat = []
            for sat_item_data in self.sat:
                sat_item = sat_item_data.to_dict()
                sat.append(sat_item)

        sun: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sun, Unset):
            sun = []
            for sun_item_data in self.sun:
                sun_item = sun_item_data.to_dict()
                sun.append(sun_item)

        thu: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.thu, Unset):
            thu = []
            for thu_item_data in self.thu:
                thu_item = thu_item_data.to_dict()
                thu.append(thu_item)

        tue: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tue, Unset):
            tue = []
            for tue_item_data in self.tue:
                tue_item = tue_item_data.to_dict()
                tue.append(tue_item)

        wed: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.wed, Unset):
            wed = []
            for wed_item_data in self.wed:
                wed_item = wed_item_data.to_dict()
                wed.append(wed_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if fri is not UNSET:
            field_dict["fri"] = fri
        if mon is not UNSET:
            field_dict["mon"] = mon
        if sat is not UNSET:
            field_dict["sat"] = sat
        if sun is not UNSET:
            field_dict["sun"] = sun
        if thu is not UNSET:
            field_dict["thu"] = thu
        if tue is not UNSET:
            field_dict["tue"] = tue
        if wed is not UNSET:
            field_dict["wed"] = wed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.period_in import PeriodIn  # noqa: PLC0415

        d = dict(src_dict)
        _fri = d.pop("fri", UNSET)
        fri: list[PeriodIn] | Unset = UNSET
        if _fri is not UNSET:
            fri = []
            for fri_item_data in _fri:
                fri_item = PeriodIn.from_dict(fri_item_data)

                fri.append(fri_item)

        _mon = d.pop("mon", UNSET)
        mon: list[PeriodIn] | Unset = UNSET
        if _mon is not UNSET:
            mon = []
            for mon_item_data in _mon:
                mon_item = PeriodIn.from_dict(mon_item_data)

                mon.append(mon_item)

        _sat = d.pop("sat", UNSET)
        sat: list[PeriodIn] | Unset = UNSET
        if _sat is not UNSET:
            sat = []
            for sat_item_data in _sat:
                sat_item = PeriodIn.from_dict(sat_item_data)

                sat.append(sat_item)

        _sun = d.pop("sun", UNSET)
        sun: list[PeriodIn] | Unset = UNSET
        if _sun is not UNSET:
            sun = []
            for sun_item_data in _sun:
                sun_item = PeriodIn.from_dict(sun_item_data)

                sun.append(sun_item)

        _thu = d.pop("thu", UNSET)
        thu: list[PeriodIn] | Unset = UNSET
        if _thu is not UNSET:
            thu = []
            for thu_item_data in _thu:
                thu_item = PeriodIn.from_dict(thu_item_data)

                thu.append(thu_item)

        _tue = d.pop("tue", UNSET)
        tue: list[PeriodIn] | Unset = UNSET
        if _tue is not UNSET:
            tue = []
            for tue_item_data in _tue:
                tue_item = PeriodIn.from_dict(tue_item_data)

                tue.append(tue_item)

        _wed = d.pop("wed", UNSET)
        wed: list[PeriodIn] | Unset = UNSET
        if _wed is not UNSET:
            wed = []
            for wed_item_data in _wed:
                wed_item = PeriodIn.from_dict(wed_item_data)

                wed.append(wed_item)

        week_in = cls(
            fri=fri,
            mon=mon,
            sat=sat,
            sun=sun,
            thu=thu,
            tue=tue,
            wed=wed,
        )

        return week_in
