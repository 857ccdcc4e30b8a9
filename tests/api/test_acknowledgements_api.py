"""'I told the customer': recorded through the API, shown in the status view, and the "to tell"
queue that it empties until the next significant change."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from tests.estimates_support import parse
from tests.support import Api

H = timedelta(hours=1)
JAKARTA = ZoneInfo("Asia/Jakarta")
D = timedelta(days=1)


def acknowledge(
    api: Api, reference: str = "SO-1042", expect: int = 201, **fields: object
) -> dict[str, object]:
    body = {"order_version": api.order(reference)["version"], "channel": "phone", **fields}
    response = api.post(f"/v1/orders/{reference}/acknowledgements", body)
    assert response.status_code == expect, response.text
    result: dict[str, object] = response.json()
    return result


def to_tell(api: Api) -> list[str]:
    response = api.get("/v1/queues")
    assert response.status_code == 200, response.text
    return [item["order"]["reference"] for item in response.json()["to_tell"]]


def _day(moment: str) -> date:
    """The day the customer hears named (the desk's zone)."""
    return parse(moment).astimezone(JAKARTA).date()


def slip(api: Api, reference: str = "SO-1042", by: timedelta = 4 * D) -> None:
    """A technician pushes assembly's finish well past the promise."""
    api.update(reference, "assembly", status="in_progress")
    api.update(
        reference,
        "assembly",
        status="blocked",
        reason="waiting_parts",
        expected_finish_at=api.clock.now() + by,
    )


class TestRecording:
    def test_needs_a_key(self, api: Api) -> None:
        api.create_order()
        response = api.client.post("/v1/orders/SO-1042/acknowledgements", json={"order_version": 1})
        assert response.status_code == 401

    def test_other_roles_may_not(self, api: Api) -> None:
        api.create_order()
        for key in (api.keys.viewer, api.keys.assembly, api.keys.integration):
            response = api.post(
                "/v1/orders/SO-1042/acknowledgements", {"order_version": 1, "channel": "phone"}, key=key
            )
            assert response.status_code == 403
            assert "agent" in response.json()["detail"]

    def test_records_what_was_told_and_the_status_view_shows_it(self, api: Api) -> None:
        api.create_order()
        view = api.order("SO-1042")
        assert view["last_acknowledgement"] is None
        told = acknowledge(api, channel="chat", note="Read the sentence out")
        # Told the current version: the ETA and cost on screen are what was said.
        assert told["eta_likely_at"] == view["eta"]["likely_at"]
        assert told["eta_latest_at"] == view["eta"]["latest_at"]
        assert told["cost"] == view["cost"]["estimated"]
        assert told["channel"] == "chat"
        assert told["current"] is True
        last = api.order("SO-1042")["last_acknowledgement"]
        assert last["id"] == told["id"]
        assert last["note"] == "Read the sentence out"
        assert last["actor_name"] == "test agent"
        # Recording it is not a change of the order: its version (and ETag) stay.
        assert api.order("SO-1042")["version"] == view["version"]
        event = api.events(order="SO-1042", type="acknowledgement.recorded")[-1]
        assert event["data"]["channel"] == "chat"
        assert event["data"]["acknowledged_version"] == view["version"]

    def test_stated_eta_and_cost_are_kept_as_given(self, api: Api) -> None:
        api.create_order()
        told = acknowledge(
            api,
            eta_likely_at="2026-11-30T10:00:00+07:00",
            eta_latest_at="2026-12-01T10:00:00+07:00",
            cost={"amount": "1300000.00", "currency": "IDR"},
            channel="counter",
        )
        assert told["eta_likely_at"] == "2026-11-30T03:00:00Z"
        assert told["cost"] == {"amount": "1300000.00", "currency": "IDR"}

    def test_the_status_view_says_when_the_order_moved_on(self, api: Api) -> None:
        api.create_order()
        acknowledge(api)
        api.update("SO-1042", "assembly", status="in_progress")
        assert api.order("SO-1042")["last_acknowledgement"]["current"] is False

    def test_bad_input_is_refused_and_changes_nothing(self, api: Api) -> None:
        api.create_order()
        cases: list[tuple[dict[str, object], str]] = [
            ({"order_version": 9}, "version 9"),
            ({"order_version": 0}, "order_version"),
            ({"channel": "pigeon"}, "channel"),
            ({"cost": {"amount": "10.00", "currency": "USD"}}, "USD"),
            ({"eta_likely_at": "2026-11-30T10:00:00"}, "time zone"),
            (
                {"eta_likely_at": "2026-11-30T10:00:00Z", "eta_latest_at": "2026-11-29T10:00:00Z"},
                "eta_latest_at",
            ),
            ({"surprise": True}, "surprise"),
        ]
        for fields, mentions in cases:
            problem = acknowledge(api, expect=422, **fields)
            assert mentions in str(problem), fields
        assert api.order("SO-1042")["last_acknowledgement"] is None
        assert api.events(order="SO-1042", type="acknowledgement.recorded") == []

    def test_unknown_order(self, api: Api) -> None:
        response = api.post("/v1/orders/SO-404/acknowledgements", {"order_version": 1, "channel": "phone"})
        assert response.status_code == 404
        assert "SO-404" in response.json()["detail"]

    def test_a_retry_with_the_same_idempotency_key_records_once(self, api: Api) -> None:
        api.create_order()
        body = {"order_version": 1, "channel": "email"}
        headers = {"Idempotency-Key": "ack-1"}
        first = api.post("/v1/orders/SO-1042/acknowledgements", body, headers=headers)
        again = api.post("/v1/orders/SO-1042/acknowledgements", body, headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.headers["idempotency-replayed"] == "true"
        assert again.json() == first.json()
        assert len(api.events(order="SO-1042", type="acknowledgement.recorded")) == 1


class TestToTellQueue:
    def test_an_order_on_plan_has_nothing_to_tell(self, api: Api) -> None:
        api.create_order()
        api.update("SO-1042", "assembly", status="in_progress")
        assert to_tell(api) == []

    def test_a_slip_past_the_promise_waits_until_the_customer_is_told(self, api: Api) -> None:
        api.create_order()
        api.create_order("SO-2000", customer="Warung Bu Sri")
        slip(api)
        queue = api.get("/v1/queues").json()["to_tell"]
        assert [item["order"]["reference"] for item in queue] == ["SO-1042"]
        assert queue[0]["news"]["type"] in ("order.at_risk", "estimate.revised")
        assert queue[0]["last_acknowledged_at"] is None

        acknowledge(api)
        assert to_tell(api) == []

        # A small move is not news; a big one is, and the order is back in the queue.
        api.clock.advance(H)
        api.update(
            "SO-1042", "assembly", expected_finish_at=api.clock.now() + 4 * D + 30 * timedelta(minutes=1)
        )
        assert to_tell(api) == []
        api.update("SO-1042", "assembly", expected_finish_at=api.clock.now() + 6 * D)
        queue = api.get("/v1/queues").json()["to_tell"]
        assert [item["order"]["reference"] for item in queue] == ["SO-1042"]
        assert queue[0]["news"]["type"] == "estimate.revised"
        assert queue[0]["last_acknowledged_at"] is not None

    def test_telling_an_older_version_after_significant_news_is_refused(self, api: Api) -> None:
        api.create_order()
        api.update("SO-1042", "assembly", status="in_progress")
        seen = api.order("SO-1042")["version"]
        slip_at = api.clock.now() + 4 * D
        api.update(
            "SO-1042", "assembly", status="blocked", reason="waiting_parts", expected_finish_at=slip_at
        )
        current = api.order("SO-1042")["version"]
        problem = acknowledge(api, expect=409, order_version=seen)
        assert problem["current_version"] == current
        assert f"version {current}" in str(problem["detail"])
        assert "ETA moved" in str(problem["detail"])
        assert to_tell(api) == ["SO-1042"]
        assert api.events(order="SO-1042", type="acknowledgement.recorded") == []
        acknowledge(api)
        assert to_tell(api) == []

    def test_an_older_version_that_differs_in_nothing_the_customer_hears_is_recorded(self, api: Api) -> None:
        api.create_order()
        seen = api.order("SO-1042")["version"]
        api.update("SO-1042", "assembly", status="in_progress")
        told = acknowledge(api, order_version=seen)
        assert told["current"] is False
        assert to_tell(api) == []

    def test_news_undone_before_anyone_called_leaves_the_queue(self, api: Api) -> None:
        api.create_order()
        api.update("SO-1042", "assembly", status="in_progress")
        acknowledge(api)
        told = api.order("SO-1042")["eta"]["likely_at"]
        slip(api)
        assert to_tell(api) == ["SO-1042"]
        # The part came after all: the customer would hear again what they were told.
        view = api.update(
            "SO-1042", "assembly", status="in_progress", expected_finish_at=api.clock.now() + 8 * H
        )
        assert view["eta"]["likely_at"] == told
        assert to_tell(api) == []

    def test_an_old_acknowledgement_never_replaces_a_newer_one(self, api: Api) -> None:
        api.create_order()
        api.update("SO-1042", "assembly", status="in_progress")
        acknowledge(api)
        newer = api.order("SO-1042")["last_acknowledgement"]
        problem = acknowledge(api, expect=409, order_version=1)
        assert problem["current_version"] == api.order("SO-1042")["version"]
        assert "never replaces a newer one" in str(problem["detail"])
        assert api.order("SO-1042")["last_acknowledgement"] == newer
        assert len(api.events(order="SO-1042", type="acknowledgement.recorded")) == 1

    def test_cost_rises_add_up_against_what_the_customer_was_told(self, api: Api) -> None:
        # Threshold 5% of the quote: two rises of 4.4% each are 8.8% above what was told.
        api.create_order(quoted="1000000.00")
        api.update("SO-1042", "assembly", status="in_progress")
        acknowledge(api)
        api.update("SO-1042", "assembly", cost_estimate={"amount": "44000.00", "currency": "IDR"})
        assert to_tell(api) == []
        api.update("SO-1042", "assembly", cost_estimate={"amount": "88000.00", "currency": "IDR"})
        queue = api.get("/v1/queues").json()["to_tell"]
        assert [item["order"]["reference"] for item in queue] == ["SO-1042"]
        assert queue[0]["news"]["type"] == "cost.revised"
        # The sentence now speaks of the cost, in both languages.
        message = api.order("SO-1042")["customer_message"]
        assert message["en"].endswith("The cost is now estimated at IDR 1,088,000.00, more than we told you.")
        assert message["id"].endswith(
            "Biaya kini diperkirakan IDR 1.088.000,00, lebih tinggi dari yang kami sampaikan."
        )
        # Told the new cost: the next small rise is measured from there, and is not news.
        acknowledge(api)
        assert "cost" not in api.order("SO-1042")["customer_message"]["en"]
        api.update("SO-1042", "assembly", cost_estimate={"amount": "100000.00", "currency": "IDR"})
        assert to_tell(api) == []

    def test_eta_drifts_add_up_until_the_customer_would_hear_another_day(self, api: Api) -> None:
        # Promised in a week; each revision moves the finish by 90 minutes (under the 2-hour
        # threshold), on track all along: news only once the day named changes.
        api.create_order(promise_in=7 * D)
        api.update("SO-1042", "assembly", status="in_progress")
        acknowledge(api)
        told = api.order("SO-1042")["eta"]["likely_at"]
        finish = api.clock.now() + timedelta(hours=8)
        moves = 0
        while True:
            finish += timedelta(minutes=90)
            moves += 1
            view = api.update("SO-1042", "assembly", expected_finish_at=finish)
            if _day(view["eta"]["likely_at"]) != _day(told) and moves > 1:
                break
            assert to_tell(api) == [], view["eta"]["likely_at"]
        assert to_tell(api) == ["SO-1042"]

    def test_a_cost_rise_is_news_too(self, api: Api) -> None:
        api.create_order(quoted="1000000.00")
        api.update("SO-1042", "assembly", status="in_progress")
        api.update("SO-1042", "assembly", cost_estimate={"amount": "200000.00", "currency": "IDR"})
        assert to_tell(api) == ["SO-1042"]

    def test_finished_and_cancelled_orders_leave_the_queue(self, api: Api) -> None:
        api.create_order()
        slip(api)
        assert to_tell(api) == ["SO-1042"]
        response = api.client.patch(
            "/v1/orders/SO-1042",
            json={"cancel": True, "cancel_reason": "changed their mind"},
            headers={
                "Authorization": f"Bearer {api.keys.agent}",
                "If-Match": f'"{api.order("SO-1042")["version"]}"',
            },
        )
        assert response.status_code == 200, response.text
        assert to_tell(api) == []


class TestOtherQueues:
    def test_at_risk_and_overdue(self, api: Api) -> None:
        api.create_order("SO-1", promise_in=3 * D)
        api.create_order("SO-2", promise_in=3 * D)
        api.create_order("SO-3", promise_in=3 * D)
        api.clock.advance(H)
        slip(api, "SO-1")
        api.clock.advance(H)
        api.update("SO-2", "assembly", status="in_progress", next_update_by=api.clock.now() + 2 * H)
        queues = api.get("/v1/queues").json()
        assert [i["order"]["reference"] for i in queues["at_risk"]] == ["SO-1"]
        assert queues["overdue"] == []

        api.clock.advance(3 * H)
        queues = api.get("/v1/queues").json()
        (silent,) = queues["overdue"]
        assert silent["order"]["reference"] == "SO-2"
        assert silent["overdue"][0]["stage"] == "assembly"
        assert silent["overdue"][0]["missed"] == "update"
        # The latest change first.
        assert queues["recently_updated"][0]["order"]["reference"] == "SO-2"

    def test_viewers_may_read_the_queues_but_nobody_anonymous(self, api: Api) -> None:
        assert api.get("/v1/queues", key=api.keys.viewer).status_code == 200
        assert api.client.get("/v1/queues").status_code == 401
