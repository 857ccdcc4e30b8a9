"""How long each stage of a flow is expected to take: the plan, until history says otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.domain.eta import Basis
from app.services.flows import FlowDefinition

#: With only a plan there is no 90th percentile; the latest estimate allows this much over plan.
PLAN_LATEST_FACTOR = 1.5


@dataclass(frozen=True)
class Duration:
    likely_minutes: float
    latest_minutes: float
    basis: Basis


def planned_durations(flow: FlowDefinition) -> dict[str, Duration]:
    return {
        key: Duration(float(s.planned_minutes), s.planned_minutes * PLAN_LATEST_FACTOR, Basis.PLAN)
        for key, s in flow.stages.items()
    }


def durations_for(session: Session, flow: FlowDefinition) -> dict[str, Duration]:
    return planned_durations(flow)
