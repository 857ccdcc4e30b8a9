"""An order's derived state, from its stages, its ETA and its promise."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from app.domain.stage_machine import SATISFIED, StageStatus


class OrderState(StrEnum):
    OPEN = "open"
    AT_RISK = "at_risk"
    LATE = "late"
    DONE = "done"
    CANCELLED = "cancelled"


CLOSED: frozenset[OrderState] = frozenset({OrderState.DONE, OrderState.CANCELLED})


def derive_state(
    *,
    cancelled: bool,
    stage_statuses: Iterable[StageStatus],
    eta_likely_at: datetime | None,
    promised_at: datetime,
    now: datetime,
) -> OrderState:
    if cancelled:
        return OrderState.CANCELLED
    if all(s in SATISFIED for s in stage_statuses):
        return OrderState.DONE
    if now > promised_at:
        return OrderState.LATE
    if eta_likely_at is not None and eta_likely_at > promised_at:
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
