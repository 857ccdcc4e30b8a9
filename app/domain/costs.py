"""Cost roll-up.

The quote is taken to cover every stage's planned cost, so a stage whose estimate (or, once
done, its actual) differs from its plan moves the order's estimate by the difference. That is
what the desk needs to see: how far the back office now is from what the customer was quoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.domain.stage_machine import StageStatus

ZERO = Decimal("0")


@dataclass(frozen=True)
class StageCost:
    status: StageStatus
    planned: Decimal | None
    estimate: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class CostRollup:
    quoted: Decimal
    estimated: Decimal
    actual: Decimal


def stage_expected_cost(cost: StageCost) -> Decimal:
    if cost.status in (StageStatus.SKIPPED, StageStatus.CANCELLED):
        return cost.actual or ZERO
    if cost.status is StageStatus.DONE and cost.actual is not None:
        return cost.actual
    if cost.estimate is not None:
        return cost.estimate
    return cost.planned or ZERO


def roll_up(quoted: Decimal, stages: Iterable[StageCost]) -> CostRollup:
    estimated = quoted
    actual = ZERO
    for cost in stages:
        estimated += stage_expected_cost(cost) - (cost.planned or ZERO)
        actual += cost.actual or ZERO
    return CostRollup(quoted=quoted, estimated=estimated, actual=actual)
