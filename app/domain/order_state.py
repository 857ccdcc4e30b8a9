"""An order's derived state, from its stages, its ETA and its promise."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from statistics import NormalDist

from app.domain.calendar import ALWAYS, WorkingCalendar
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


#: Within RISK_HORIZON_MINUTES (working minutes of the calendar the order ends on) of its promise,
#: an order is at risk when its chance of missing the promise, read from its estimate's spread
#: (`late_probability`), is above AT_RISK_LEVEL; 0.5 means its likely finish is past the promise.
#: Further ahead it takes EARLY_RISK_LEVEL: far from the promise a likely finish just past it is
#: often made up again, and a desk that sees every such order flagged learns to ignore the flag.
#: Chosen from `nextdesk simulate`'s table (bench/RESULTS.md).
AT_RISK_LEVEL = 0.5
EARLY_RISK_LEVEL = 0.7
RISK_HORIZON_MINUTES = 4.5 * 60


@dataclass(frozen=True)
class RiskRule:
    """When an order counts as at risk, from its estimate, its promise and the time left."""

    level: float = AT_RISK_LEVEL
    early_level: float = EARLY_RISK_LEVEL
    horizon_minutes: float = RISK_HORIZON_MINUTES

    def horizon_starts(self, promised_at: datetime, calendar: WorkingCalendar = ALWAYS) -> datetime:
        """From this moment on, the promise is near: the lower level applies."""
        return calendar.before(promised_at, self.horizon_minutes)

    def at_risk(
        self,
        likely_at: datetime,
        latest_at: datetime | None,
        promised_at: datetime,
        now: datetime,
        calendar: WorkingCalendar = ALWAYS,
    ) -> bool:
        if latest_at is None:
            return likely_at > promised_at
        chance = late_probability(likely_at, latest_at, promised_at, calendar)
        upper = max(self.level, self.early_level)
        if chance <= self.level or chance > upper:
            # At most the near level or above both: where the horizon starts cannot matter.
            return chance > upper
        near = now >= self.horizon_starts(promised_at, calendar)
        return chance > (self.level if near else upper)


RISK_RULE = RiskRule()


def derive_state(
    *,
    cancelled: bool,
    stage_statuses: Iterable[StageStatus],
    eta_likely_at: datetime | None,
    promised_at: datetime,
    now: datetime,
    eta_latest_at: datetime | None = None,
    rule: RiskRule = RISK_RULE,
    calendar: WorkingCalendar = ALWAYS,
) -> OrderState:
    if cancelled:
        return OrderState.CANCELLED
    if all(s in SATISFIED for s in stage_statuses):
        return OrderState.DONE
    if now > promised_at:
        return OrderState.LATE
    if eta_likely_at is None:
        return OrderState.OPEN
    if rule.at_risk(eta_likely_at, eta_latest_at, promised_at, now, calendar):
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


def late_probability(
    likely_at: datetime, latest_at: datetime, promised_at: datetime, calendar: WorkingCalendar = ALWAYS
) -> float:
    """How likely the order misses its promise, read from the estimate's spread: the finish as
    a normal variable with its median at ``likely_at`` and its 90th percentile at ``latest_at``,
    measured in working time of the calendar the order ends on. In wall time a likely finish one
    working minute past a Friday-afternoon promise would read as three days late, and a spread
    across a night as many hours of uncertainty that nobody works."""
    spread = calendar.between(likely_at, latest_at)
    margin = calendar.between(likely_at, promised_at) - calendar.between(promised_at, likely_at)
    if margin == 0 and likely_at != promised_at:
        # Both in the same closed stretch (a night): the wall clock decides which is first.
        margin = (promised_at - likely_at).total_seconds() / 60
    if spread <= 0:
        return 1.0 if margin < 0 else 0.0
    return 1.0 - _NORMAL.cdf(margin * _Z90 / spread)
