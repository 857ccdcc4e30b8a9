"""Helpers for the estimate tests: sweeping on demand, events of one type, small flows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from app.services.sweep import SweepReport
from app.sweeper import Sweeper
from tests.support import Api


def sweep(client: TestClient, now: datetime | None = None) -> SweepReport:
    """Run one sweep in the app's own event loop, as its background task would."""
    sweeper: Sweeper = client.app.state.sweeper  # type: ignore[attr-defined]
    assert client.portal is not None, "the client must be started (use it as a context manager)"
    report: SweepReport = client.portal.call(sweeper.sweep_once, now)
    return report


def events_of(api: Api, reference: str, type_: str) -> list[dict[str, Any]]:
    return [e for e in api.events(order=reference) if e["type"] == type_]


def quick_flow(api: Api, key: str = "quick", minutes: tuple[int, ...] = (60, 60)) -> None:
    """A chain of short stages on the workshop, then shipping."""
    stages = []
    for index, planned in enumerate(minutes):
        stage_key = "work" if index == 0 else f"step{index}"
        stages.append(
            {
                "key": stage_key,
                "name": stage_key.capitalize(),
                "department": "workshop" if index == 0 else "shipping",
                "planned_minutes": planned,
                "depends_on": [stages[-1]["key"]] if stages else [],
            }
        )
    api.define_flow({"key": key, "name": "Quick", "stages": stages})


def parse(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))
