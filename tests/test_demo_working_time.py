"""The demo speaks in office hours: every ETA it shows, every time a customer or an agent sentence
names, falls inside working time of the calendar its departments work by, whenever it is loaded
(on a weekday, on a Sunday night, on a public holiday)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.demo import DEMO_DEPARTMENTS, load_demo

JAKARTA = ZoneInfo("Asia/Jakarta")
AGENT = {"Authorization": "Bearer ndk_demo_agent"}
#: What agents' event lines name (app/desk/describe.py): every moment in them.
NAMED_MOMENTS = ("promised_at", "likely_at", "eta_likely_at", "latest_at")


class Office:
    """Working time as the service itself answers it, asked once per moment."""

    def __init__(self, client: TestClient, calendar: str) -> None:
        self.client = client
        self.calendar = calendar
        self.seen: dict[str, bool] = {}

    def open_at(self, moment: str) -> bool:
        if moment not in self.seen:
            response = self.client.get(
                f"/v1/calendars/{self.calendar}/working-time",
                params={"from": moment, "minutes": 0},
                headers=AGENT,
            )
            assert response.status_code == 200, response.text
            self.seen[moment] = response.json()["working_now"]
        return self.seen[moment]


def _local(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(JAKARTA)


@pytest.mark.parametrize(
    "loaded_at",
    [
        datetime(2026, 12, 7, 3, 0, tzinfo=UTC),  # Monday 10:00 in Jakarta
        datetime(2026, 12, 6, 14, 30, tzinfo=UTC),  # Sunday 21:30
        datetime(2026, 12, 25, 2, 0, tzinfo=UTC),  # Christmas Day, a public holiday in Indonesia
    ],
    ids=["monday-morning", "sunday-night", "christmas-day"],
)
def test_no_eta_or_sentence_of_the_demo_names_a_closed_time(
    client: TestClient, clock: ManualClock, loaded_at: datetime
) -> None:
    clock.set(loaded_at)
    load_demo(client.app.state.ctx.db, clock)  # type: ignore[attr-defined]

    calendars = client.get("/v1/calendars", headers=AGENT).json()
    by_department = {d: c["key"] for c in calendars for d in c["departments"]}
    assert {by_department.get(d) for d in DEMO_DEPARTMENTS} == {"default"}
    office = Office(client, "default")

    listed = client.get("/v1/orders", params={"limit": 100}, headers=AGENT)
    assert listed.status_code == 200, listed.text
    references = [o["reference"] for o in listed.json()["items"]]
    assert len(references) == 36
    states: set[str] = set()
    for reference in references:
        view: dict[str, Any] = client.get(f"/v1/orders/{reference}", headers=AGENT).json()
        states.add(view["state"])
        assert office.open_at(view["promised_at"]), (reference, "promised", _local(view["promised_at"]))
        eta = view["eta"]
        for name in ("likely_at", "latest_at"):
            if eta[name] is not None:
                assert office.open_at(eta[name]), (reference, name, _local(eta[name]))
        for stage in view["stages"]:
            for name in ("expected_finish_at", "latest_finish_at"):
                if stage[name] is not None and stage["status"] not in ("done", "skipped", "cancelled"):
                    assert office.open_at(stage[name]), (reference, stage["key"], name, _local(stage[name]))
        # A time in the customer's sentence is the ETA's own, which is in working time.
        for language, sentence in view["customer_message"].items():
            for hours, minutes in re.findall(r"\b(\d\d)[:.](\d\d)\b", sentence):
                assert eta["likely_at"] is not None, sentence
                likely = _local(eta["likely_at"])
                assert (int(hours), int(minutes)) == (likely.hour, likely.minute), (language, sentence)
    # The demo still shows orders on track, late, done and cancelled (at risk too, unless it is
    # loaded after a closed stretch, in which nothing has happened yet).
    assert {"open", "late", "done", "cancelled"} <= states

    # Every moment the agent's event lines name.
    after = 0
    while True:
        page = client.get("/v1/events", params={"after": after, "limit": 1000}, headers=AGENT).json()
        for event in page["items"]:
            for name in NAMED_MOMENTS:
                moment = event["data"].get(name)
                if isinstance(moment, str):
                    assert office.open_at(moment), (event["type"], event["subject"], name, _local(moment))
        if not page["items"]:
            break
        after = page["next_after"]
