from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EtaPublic")


@_attrs_define
class EtaPublic:
    """
    Attributes:
        basis (str): plan, learned, revised (by a technician) or actual (finished)
        latest_at (datetime.datetime | None):
        likely_at (datetime.datetime | None):
        critical_path (list[str] | Unset):
        minutes_past_promise (int | None | Unset): How far the likely ETA is beyond the promise (negative: ahead of it)
    """

    basis: str
    latest_at: datetime.datetime | None
    likely_at: datetime.datetime | None
    critical_path: list[str] | Unset = UNSET
    minutes_past_promise: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        basis = self.basis

        latest_at: None | str
        if isinstance(self.latest_at, datetime.datetime):
            latest_at = self.latest_at.isoformat()
        else:
            latest_at = self.latest_at

        likely_at: None | str
        if isinstance(self.likely_at, datetime.datetime):
            likely_at = self.likely_at.isoformat()
        else:
            likely_at = self.likely_at

        critical_path: list[str] | Unset = UNSET
        if not isinstance(self.critical_path, Unset):
            critical_path = self.critical_path

        minutes_past_promise: int | None | Unset
        if isinstance(self.minutes_past_promise, Unset):
            minutes_past_promise = UNSET
        else:
            minutes_past_promise = self.minutes_past_promise

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "basis": basis,
                "latest_at": latest_at,
                "likely_at": likely_at,
            }
        )
        if critical_path is not UNSET:
            field_dict["critical_path"] = critical_path
        if minutes_past_promise is not UNSET:
            field_dict["minutes_past_promise"] = minutes_past_promise

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        basis = d.pop("basis")

        def _parse_latest_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                latest_at_type_0 = datetime.datetime.fromisoformat(data)

                return latest_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        latest_at = _parse_latest_at(d.pop("latest_at"))

        def _parse_likely_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                likely_at_type_0 = datetime.datetime.fromisoformat(data)

                return likely_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        likely_at = _parse_likely_at(d.pop("likely_at"))

        critical_path = cast(list[str], d.pop("critical_path", UNSET))

        def _parse_minutes_past_promise(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        minutes_past_promise = _parse_minutes_past_promise(d.pop("minutes_past_promise", UNSET))

        eta_public = cls(
            basis=basis,
            latest_at=latest_at,
            likely_at=likely_at,
            critical_path=critical_path,
            minutes_past_promise=minutes_past_promise,
        )

        eta_public.additional_properties = d
        return eta_public

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
