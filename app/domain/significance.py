"""When is a revision news the customer must hear?

A change is news when what the customer would hear changes, measured against what they were
last told (the last acknowledgement; the first ETA and the quote until then), not against the
previous revision: the promise kept or broken, the day named, the cost beyond the threshold.
Measured so, changes add up: two rises of 4% each are an 8% rise to tell, and an ETA that
drifts an hour at a time is news once it names another day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Significance:
    #: A move of the ETA smaller than this is never news unless it crosses the promise, even
    #: across midnight: 23:50 and 00:10 are the same answer to a customer.
    eta_minutes: int = 120
    cost_percent: float = 5.0
    #: Where the customer lives: the day named is a day of this zone.
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))


def crossing(previous: datetime | None, new: datetime | None, promised: datetime) -> str | None:
    """'behind' when an ETA moves past the promise, 'back' when it comes back within it."""
    if previous is None or new is None:
        return None
    if previous <= promised < new:
        return "behind"
    if new <= promised < previous:
        return "back"
    return None


def eta_change_to_tell(
    told: datetime | None, new: datetime | None, promised: datetime, rule: Significance
) -> bool:
    """Would the customer hear something else about when than what they were told?"""
    if told is None or new is None:
        return False
    if crossing(told, new, promised) is not None:
        return True
    if abs((new - told).total_seconds()) <= rule.eta_minutes * 60:
        return False
    return told.astimezone(rule.zone).date() != new.astimezone(rule.zone).date()


def cost_change_to_tell(told: Decimal | None, new: Decimal, quoted: Decimal, rule: Significance) -> bool:
    """Is the estimate now above what the customer was told by more than the set share of the quote?"""
    baseline = quoted if told is None else told
    rise = new - baseline
    if rise <= 0:
        return False
    if quoted <= 0:
        return True
    return rise > quoted * Decimal(str(rule.cost_percent)) / Decimal(100)
