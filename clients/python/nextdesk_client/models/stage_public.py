from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stage_status import StageStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.stage_public_reason_text_type_0 import StagePublicReasonTextType0


T = TypeVar("T", bound="StagePublic")


@_attrs_define
class StagePublic:
    """
    Attributes:
        assignee (None | str):
        cost_actual (Money | None):
        cost_estimate (Money | None):
        customer_note (None | str):
        department (str):
        depends_on (list[str]):
        estimate_basis (str):
        expected_finish_at (datetime.datetime | None): The stage's estimated finish (likely)
        finished_at (datetime.datetime | None):
        internal_note (None | str): For the back office and agents only; never told to customers
        key (str):
        latest_finish_at (datetime.datetime | None):
        name (str):
        next_update_by (datetime.datetime | None):
        overdue (bool):
        planned_cost (Money | None):
        planned_minutes (int):
        reason (None | str):
        revised_finish_at (datetime.datetime | None): The technician's own revision, if any
        started_at (datetime.datetime | None):
        status (StageStatus):
        updated_at (datetime.datetime):
        reason_text (None | StagePublicReasonTextType0 | Unset):
    """

    assignee: None | str
    cost_actual: Money | None
    cost_estimate: Money | None
    customer_note: None | str
    department: str
    depends_on: list[str]
    estimate_basis: str
    expected_finish_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    internal_note: None | str
    key: str
    latest_finish_at: datetime.datetime | None
    name: str
    next_update_by: datetime.datetime | None
    overdue: bool
    planned_cost: Money | None
    planned_minutes: int
    reason: None | str
    revised_finish_at: datetime.datetime | None
    started_at: datetime.datetime | None
    status: StageStatus
    updated_at: datetime.datetime
    reason_text: None | StagePublicReasonTextType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.stage_public_reason_text_type_0 import StagePublicReasonTextType0  # noqa: PLC0415

        assignee: None | str
        assignee = self.assignee

        cost_actual: dict[str, Any] | None
        if isinstance(self.cost_actual, Money):
            cost_actual = self.cost_actual.to_dict()
        else:
            cost_actual = self.cost_actual

        cost_estimate: dict[str, Any] | None
        if isinstance(self.cost_estimate, Money):
            cost_estimate = self.cost_estimate.to_dict()
        else:
            cost_estimate = self.cost_estimate

        customer_note: None | str
        customer_note = self.customer_note

        department = self.department

        depends_on = self.depends_on

        estimate_basis = self.estimate_basis

        expected_finish_at: None | str
        if isinstance(self.expected_finish_at, datetime.datetime):
            expected_finish_at = self.expected_finish_at.isoformat()
        else:
            expected_finish_at = self.expected_finish_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        internal_note: None | str
        internal_note = self.internal_note

        key = self.key

        latest_finish_at: None | str
        if isinstance(self.latest_finish_at, datetime.datetime):
            latest_finish_at = self.latest_finish_at.isoformat()
        else:
            latest_finish_at = self.latest_finish_at

        name = self.name

        next_update_by: None | str
        if isinstance(self.next_update_by, datetime.datetime):
            next_update_by = self.next_update_by.isoformat()
        else:
            next_update_by = self.next_update_by

        overdue = self.overdue

        planned_cost: dict[str, Any] | None
        if isinstance(self.planned_cost, Money):
            planned_cost = self.planned_cost.to_dict()
        else:
            planned_cost = self.planned_cost

        planned_minutes = self.planned_minutes

        reason: None | str
        reason = self.reason

        revised_finish_at: None | str
        if isinstance(self.revised_finish_at, datetime.datetime):
            revised_finish_at = self.revised_finish_at.isoformat()
        else:
            revised_finish_at = self.revised_finish_at

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        reason_text: dict[str, Any] | None | Unset
        if isinstance(self.reason_text, Unset):
            reason_text = UNSET
        elif isinstance(self.reason_text, StagePublicReasonTextType0):
            reason_text = self.reason_text.to_dict()
        else:
            reason_text = self.reason_text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assignee": assignee,
                "cost_actual": cost_actual,
                "cost_estimate": cost_estimate,
                "customer_note": customer_note,
                "department": department,
                "depends_on": depends_on,
                "estimate_basis": estimate_basis,
                "expected_finish_at": expected_finish_at,
                "finished_at": finished_at,
                "internal_note": internal_note,
                "key": key,
                "latest_finish_at": latest_finish_at,
                "name": name,
                "next_update_by": next_update_by,
                "overdue": overdue,
                "planned_cost": planned_cost,
                "planned_minutes": planned_minutes,
                "reason": reason,
                "revised_finish_at": revised_finish_at,
                "started_at": started_at,
                "status": status,
                "updated_at": updated_at,
            }
        )
        if reason_text is not UNSET:
            field_dict["reason_text"] = reason_text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.stage_public_reason_text_type_0 import StagePublicReasonTextType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_assignee(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee = _parse_assignee(d.pop("assignee"))

        def _parse_cost_actual(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cost_actual_type_0 = Money.from_dict(data)

                return cost_actual_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        cost_actual = _parse_cost_actual(d.pop("cost_actual"))

        def _parse_cost_estimate(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cost_estimate_type_0 = Money.from_dict(data)

                return cost_estimate_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        cost_estimate = _parse_cost_estimate(d.pop("cost_estimate"))

        def _parse_customer_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_note = _parse_customer_note(d.pop("customer_note"))

        department = d.pop("department")

        depends_on = cast(list[str], d.pop("depends_on"))

        estimate_basis = d.pop("estimate_basis")

        def _parse_expected_finish_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expected_finish_at_type_0 = datetime.datetime.fromisoformat(data)

                return expected_finish_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expected_finish_at = _parse_expected_finish_at(d.pop("expected_finish_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_internal_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        internal_note = _parse_internal_note(d.pop("internal_note"))

        key = d.pop("key")

        def _parse_latest_finish_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                latest_finish_at_type_0 = datetime.datetime.fromisoformat(data)

                return latest_finish_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        latest_finish_at = _parse_latest_finish_at(d.pop("latest_finish_at"))

        name = d.pop("name")

        def _parse_next_update_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_update_by_type_0 = datetime.datetime.fromisoformat(data)

                return next_update_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_update_by = _parse_next_update_by(d.pop("next_update_by"))

        overdue = d.pop("overdue")

        def _parse_planned_cost(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                planned_cost_type_0 = Money.from_dict(data)

                return planned_cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        planned_cost = _parse_planned_cost(d.pop("planned_cost"))

        planned_minutes = d.pop("planned_minutes")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_revised_finish_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revised_finish_at_type_0 = datetime.datetime.fromisoformat(data)

                return revised_finish_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revised_finish_at = _parse_revised_finish_at(d.pop("revised_finish_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        status = StageStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_reason_text(data: object) -> None | StagePublicReasonTextType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reason_text_type_0 = StagePublicReasonTextType0.from_dict(data)

                return reason_text_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StagePublicReasonTextType0 | Unset, data)

        reason_text = _parse_reason_text(d.pop("reason_text", UNSET))

        stage_public = cls(
            assignee=assignee,
            cost_actual=cost_actual,
            cost_estimate=cost_estimate,
            customer_note=customer_note,
            department=department,
            depends_on=depends_on,
            estimate_basis=estimate_basis,
            expected_finish_at=expected_finish_at,
            finished_at=finished_at,
            internal_note=internal_note,
            key=key,
            latest_finish_at=latest_finish_at,
            name=name,
            next_update_by=next_update_by,
            overdue=overdue,
            planned_cost=planned_cost,
            planned_minutes=planned_minutes,
            reason=reason,
            revised_finish_at=revised_finish_at,
            started_at=started_at,
            status=status,
            updated_at=updated_at,
            reason_text=reason_text,
        )

        stage_public.additional_properties = d
        return stage_public

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
