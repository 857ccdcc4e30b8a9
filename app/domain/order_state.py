"""An order's derived state, from its stages, its ETA and its promise."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from statistics import NormalDist

from app.domain.stage_machine import SATISFIED, StageStatus


class OrderState(StrEnum):
    OPEN = "open"
    AT_RISK = "at_risk"
    LATE = "late"
    DONE = "done"
    CANCELLED = "cancelled"


CLOSED: frozenset[OrderState] = frozenset({OrderState.DONE, OrderState.CANCELLED})


_NORMAL = NormalDist()
_Z90 = _NORMAL.inv_cdf(0.9)


#: An order is at risk when its chance of missing the promise, read from its estimate's spread
#: (`late_probability`), is above this; 0.5 means its likely finish is past the promise.
#: Chosen from `nextdesk simulate`'s table (bench/RESULTS.md).
AT_RISK_LEVEL = 0.5


def derive_state(
    *,
    cancelled: bool,
    stage_statuses: Iterable[StageStatus],
    eta_likely_at: datetime | None,
    promised_at: datetime,
    now: datetime,
    eta_latest_at: datetime | None = None,
    at_risk_level: float = AT_RISK_LEVEL,
) -> OrderState:
    if cancelled:
        return OrderState.CANCELLED
    if all(s in SATISFIED for s in stage_statuses):
        return OrderState.DONE
    if now > promised_at:
        return OrderState.LATE
    if eta_likely_at is None:
        return OrderState.OPEN
    if eta_latest_at is None:
        return OrderState.AT_RISK if eta_likely_at > promised_at else OrderState.OPEN
    if late_probability(eta_likely_at, eta_latest_at, promised_at) > at_risk_level:
        return OrderState.AT_RISK
    return OrderState.OPEN


def is_at_risk(state: OrderState) -> bool:
    return state in (OrderState.AT_RISK, OrderState.LATE)


def risk_event(was_at_risk: bool, now_at_risk: bool, state: OrderState) -> str | None:
    """The order-level event a change of risk calls for, if any."""
    if now_at_risk and not was_at_risk:
        return "order.at_risk"
    if was_at_risk and not now_at_risk and state not in CLOSED:
        return "order.back_on_track"
    return None


def late_probability(likely_at: datetime, latest_at: datetime, promised_at: datetime) -> float:
    """How likely the order misses its promise, read from the estimate's spread: the finish as
    a normal variable with its median at ``likely_at`` and its 90th percentile at ``latest_at``."""
    spread = max((latest_at - likely_at).total_seconds(), 0.0)
    margin = (promised_at - likely_at).total_seconds()
    if spread == 0:
        return 1.0 if margin < 0 else 0.0
    return 1.0 - _NORMAL.cdf(margin * _Z90 / spread)
