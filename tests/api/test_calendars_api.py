"""Working calendars over the API: the two every database starts with, defining and changing
one, bad calendars refused naming the field, working-time questions, and estimates in working
time for stages on a calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.estimates_support import parse
from tests.support import Api, bearer

JAKARTA = ZoneInfo("Asia/Jakarta")
WORKDAY = [{"start": "08:00", "end": "17:00"}]


def workshop_calendar(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "key": "workshop",
        "name": "Workshop",
        "timezone": "Asia/Jakarta",
        "week": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), WORKDAY),
        "holidays": "ID",
    }
    body.update(overrides)
    return body


def post_calendar(api: Api, body: dict[str, Any]) -> httpx.Response:
    return api.post("/v1/calendars", body, key=api.keys.admin)


def working_time(api: Api, key: str, start: datetime, minutes: float) -> httpx.Response:
    return api.get(
        f"/v1/calendars/{key}/working-time", params={"from": start.isoformat(), "minutes": minutes}
    )


def test_a_fresh_database_has_default_and_always(api: Api) -> None:
    calendars = {c["key"]: c for c in api.get("/v1/calendars").json()}
    assert set(calendars) == {"default", "always"}
    default = calendars["default"]
    assert default["timezone"] == "Asia/Jakarta"
    assert default["holidays"] == "ID"
    assert default["week"]["mon"] == WORKDAY
    assert default["week"]["sat"] == [{"start": "08:00", "end": "12:00"}]
    assert "sun" not in default["week"]
    assert len(calendars["always"]["week"]) == 7


def test_working_time_skips_nights_weekends_and_holidays(api: Api) -> None:
    # Wednesday 2 Dec 2026 at 13:36: a 600-minute job ends Thursday at 14:36, not at 23:36.
    answer = working_time(api, "default", datetime(2026, 12, 2, 13, 36, tzinfo=JAKARTA), 600)
    assert answer.status_code == 200, answer.text
    assert parse(answer.json()["ends_at"]) == datetime(2026, 12, 3, 14, 36, tzinfo=JAKARTA)
    assert answer.json()["working_now"] is True
    # Thursday 24 Dec at 16:00 + 2 h: Christmas is an Indonesian holiday; Saturday opens at 08:00.
    answer = working_time(api, "default", datetime(2026, 12, 24, 16, 0, tzinfo=JAKARTA), 120)
    assert parse(answer.json()["ends_at"]) == datetime(2026, 12, 26, 9, 0, tzinfo=JAKARTA)
    # The plain clock.
    start = datetime(2026, 12, 5, 22, 0, tzinfo=JAKARTA)
    answer = working_time(api, "always", start, 600)
    assert parse(answer.json()["ends_at"]) == start + timedelta(minutes=600)


def test_define_change_and_read_a_calendar_with_extra_dates(api: Api) -> None:
    created = post_calendar(api, workshop_calendar(closed_dates=["2026-12-03"]))
    assert created.status_code == 201, created.text
    # Wednesday 16:00 + 2 h: Thursday is closed for a stock-take.
    answer = working_time(api, "workshop", datetime(2026, 12, 2, 16, 0, tzinfo=JAKARTA), 120)
    assert parse(answer.json()["ends_at"]) == datetime(2026, 12, 4, 9, 0, tzinfo=JAKARTA)

    rush = {"open_dates": [{"date": "2026-12-05", "periods": [{"start": "09:00", "end": "11:00"}]}]}
    changed = api.client.patch("/v1/calendars/workshop", json=rush, headers=bearer(api.keys.admin))
    assert changed.status_code == 200, changed.text
    assert changed.json()["closed_dates"] == ["2026-12-03"]
    # Friday 16:00 + 3 h: one hour on Friday, two on the Saturday opened for a rush.
    answer = working_time(api, "workshop", datetime(2026, 12, 4, 16, 0, tzinfo=JAKARTA), 180)
    assert parse(answer.json()["ends_at"]) == datetime(2026, 12, 5, 11, 0, tzinfo=JAKARTA)
    assert api.get("/v1/calendars/workshop").json()["open_dates"][0]["date"] == "2026-12-05"


def test_bad_calendars_are_refused_naming_the_field_and_change_nothing(api: Api) -> None:
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        (workshop_calendar(week={"mon": [{"start": "17:00", "end": "08:00"}]}), ["body", "week", "mon", 0]),
        (workshop_calendar(holidays="XX"), ["body", "holidays"]),
        (workshop_calendar(timezone="Asia/Atlantis"), ["body", "timezone"]),
        (
            workshop_calendar(
                week={"mon": [{"start": "08:00", "end": "12:00"}, {"start": "11:00", "end": "17:00"}]}
            ),
            ["body", "week", "mon"],
        ),
        (workshop_calendar(week={"funday": WORKDAY}), ["body", "week"]),
        (
            workshop_calendar(week={"mon": [{"start": "08:00", "end": "25:00"}]}),
            ["body", "week", "mon", 0, "end"],
        ),
        (workshop_calendar(week={}), ["body", "week"]),
    ]
    for body, loc in cases:
        response = post_calendar(api, body)
        assert response.status_code == 422, (body, response.text)
        locs = [e["loc"][: len(loc)] for e in response.json()["errors"]]
        assert loc in locs, (loc, response.json())
    assert {c["key"] for c in api.get("/v1/calendars").json()} == {"default", "always"}

    assert post_calendar(api, workshop_calendar(departments=["assembly"])).status_code == 201
    clash = post_calendar(api, workshop_calendar(key="second", departments=["assembly"]))
    assert clash.status_code == 422
    assert clash.json()["errors"][0]["loc"] == ["body", "departments"]
    assert post_calendar(api, workshop_calendar()).status_code == 409
    assert api.post("/v1/calendars", workshop_calendar(key="other")).status_code == 403
    assert working_time(api, "nowhere", datetime(2026, 12, 2, tzinfo=JAKARTA), 60).status_code == 404
    assert (
        api.get(
            "/v1/calendars/default/working-time", params={"from": "2026-12-02T10:00:00", "minutes": 5}
        ).status_code
        == 422
    )
    assert working_time(api, "default", datetime(2026, 12, 2, tzinfo=JAKARTA), -5).status_code == 422


def _in_working_hours(moment: str) -> bool:
    local = parse(moment).astimezone(JAKARTA)
    minutes = local.hour * 60 + local.minute
    if local.weekday() < 5:
        return 8 * 60 <= minutes <= 17 * 60
    return local.weekday() == 5 and 8 * 60 <= minutes <= 12 * 60


def test_a_stage_on_the_default_calendar_is_estimated_in_working_time(api: Api) -> None:
    api.define_flow(
        {
            "key": "repair",
            "name": "Repair",
            "stages": [
                {
                    "key": "diagnosis",
                    "name": "Diagnosis",
                    "department": "workshop",
                    "planned_minutes": 600,
                    "calendar": "default",
                },
                {
                    "key": "shipping",
                    "name": "Shipping",
                    "department": "shipping",
                    "planned_minutes": 600,
                    "depends_on": ["diagnosis"],
                },
            ],
        }
    )
    # Tuesday 24 Nov 2026, 13:36 in Jakarta.
    api.clock.set(datetime(2026, 11, 24, 13, 36, tzinfo=JAKARTA))
    view = api.create_order("SO-1", flow="repair", promise_in=timedelta(days=5))
    diagnosis, shipping = view["stages"]
    assert parse(diagnosis["expected_finish_at"]) == datetime(2026, 11, 25, 14, 36, tzinfo=JAKARTA)
    assert _in_working_hours(diagnosis["latest_finish_at"])
    # The carrier works round the clock: its 600 minutes are plain time after diagnosis.
    assert parse(shipping["expected_finish_at"]) == parse(diagnosis["expected_finish_at"]) + timedelta(
        minutes=600
    )

    # Remaining minutes are working minutes too: 3 h 24 min today, 36 min tomorrow morning.
    view = api.update("SO-1", "diagnosis", status="in_progress", remaining_minutes=240)
    assert parse(view["stages"][0]["expected_finish_at"]) == datetime(2026, 11, 25, 8, 36, tzinfo=JAKARTA)


def test_a_department_named_on_a_calendar_works_by_it(api: Api) -> None:
    assert post_calendar(api, workshop_calendar(departments=["assembly"])).status_code == 201
    # Friday 27 Nov 2026, 16:00 in Jakarta: assembly's 480 planned minutes end Monday at 15:00.
    api.clock.set(datetime(2026, 11, 27, 16, 0, tzinfo=JAKARTA))
    view = api.create_order("SO-2", promise_in=timedelta(days=10))
    assembly = view["stages"][0]
    assert parse(assembly["expected_finish_at"]) == datetime(2026, 11, 30, 15, 0, tzinfo=JAKARTA)
    assert _in_working_hours(assembly["latest_finish_at"])


def test_a_flow_naming_an_unknown_calendar_is_refused(api: Api) -> None:
    response = api.post(
        "/v1/flows",
        {
            "key": "odd",
            "name": "Odd",
            "stages": [
                {
                    "key": "work",
                    "name": "Work",
                    "department": "workshop",
                    "planned_minutes": 60,
                    "calendar": "moon",
                }
            ],
        },
        key=api.keys.admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "stages", 0, "calendar"]
    assert api.get("/v1/flows/odd").status_code == 404


def test_moving_a_department_onto_a_calendar_relearns_its_durations(api: Api) -> None:
    for index in range(20):
        api.create_order(f"SO-{index}", promise_in=timedelta(days=5))
        api.clock.advance(timedelta(hours=1))
        api.update(f"SO-{index}", "assembly", status="in_progress")
        api.update(f"SO-{index}", "assembly", status="done")
    assert api.create_order("SO-LEARNED")["stages"][0]["estimate_basis"] == "learned"
    # Those durations were clock minutes; in office hours they would mean something else.
    assert post_calendar(api, workshop_calendar(departments=["assembly"])).status_code == 201
    assert api.create_order("SO-AFTER")["stages"][0]["estimate_basis"] == "plan"
