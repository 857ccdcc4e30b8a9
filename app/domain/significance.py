"""When is a revision news the customer must hear?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class Significance:
    eta_minutes: int = 120
    cost_percent: float = 5.0


def crossing(previous: datetime | None, new: datetime | None, promised: datetime) -> str | None:
    """'behind' when an ETA moves past the promise, 'back' when it comes back within it."""
    if previous is None or new is None:
        return None
    if previous <= promised < new:
        return "behind"
    if new <= promised < previous:
        return "back"
    return None


def eta_move_is_significant(
    previous: datetime | None, new: datetime | None, promised: datetime, rule: Significance
) -> bool:
    if previous is None or new is None:
        return False
    if crossing(previous, new, promised) is not None:
        return True
    return abs((new - previous).total_seconds()) > rule.eta_minutes * 60


def cost_rise_is_significant(previous: Decimal, new: Decimal, quoted: Decimal, rule: Significance) -> bool:
    """A rise above the set share of the quote; savings are welcome news but never urgent."""
    rise = new - previous
    if rise <= 0:
        return False
    if quoted <= 0:
        return True
    return rise > quoted * Decimal(str(rule.cost_percent)) / Decimal(100)
