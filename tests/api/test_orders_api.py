from __future__ import annotations

from datetime import timedelta

import pytest

from tests.flows import REPAIR
from tests.support import Api, iso

H = timedelta(hours=1)


def test_status_view_answers_what_an_agent_needs(api: Api) -> None:
    created = api.create_order()
    view = api.order("SO-1042")
    assert view == {**created, "stages": view["stages"]} or view["version"] == created["version"]
    assert view["state"] == "open"
    assert view["at_risk"] is False
    assert view["current_stages"] == ["assembly"]
    assert [s["status"] for s in view["stages"]] == ["ready", "pending", "pending"]
    # 8 h assembly + 2 h finance + 24 h shipping from now, on the plan
    assert view["eta"]["basis"] == "plan"
    assert view["eta"]["likely_at"] == iso(api.clock.now() + 34 * H).replace("+00:00", "Z")
    assert view["cost"]["quoted"] == {"amount": "1250000.00", "currency": "IDR"}
    assert view["cost"]["estimated"] == {"amount": "1250000.00", "currency": "IDR"}
    assert (
        view["customer_message"]["en"]
        == "Your order is queued for assembly; we expect it tomorrow, as promised."
    )
    assert view["customer_message"]["id"].startswith("Pesanan Anda dalam antrean perakitan")


def test_get_gives_an_etag_of_the_version(api: Api) -> None:
    api.create_order()
    response = api.get("/v1/orders/SO-1042")
    assert response.headers["etag"] == '"1"'
    api.update("SO-1042", "assembly", status="in_progress")
    assert api.get("/v1/orders/SO-1042").headers["etag"] == '"2"'


def test_duplicate_reference_is_a_conflict(api: Api) -> None:
    api.create_order()
    problem = api.create_order(expect=409)
    assert "SO-1042" in problem["detail"]


@pytest.mark.parametrize(
    ("change", "status", "mentions"),
    [
        ({"flow": "nope"}, 422, "no flow 'nope'"),
        ({"quoted_cost": {"amount": 1250000.0, "currency": "IDR"}}, 422, "decimal string"),
        ({"quoted_cost": {"amount": "12.5", "currency": "rupiah"}}, 422, "currency"),
        ({"promised_at": "2026-11-26T12:00:00"}, 422, "time zone"),
        ({"reference": "has space"}, 422, "reference"),
        ({"extra": 1}, 422, "extra"),
    ],
)
def test_bad_orders_are_refused_clearly(
    api: Api, change: dict[str, object], status: int, mentions: str
) -> None:
    body = {
        "reference": "SO-1",
        "flow": "standard",
        "customer": {"name": "Toko"},
        "promised_at": "2026-11-26T12:00:00+07:00",
        "quoted_cost": {"amount": "10.00", "currency": "IDR"},
        **change,
    }
    response = api.post("/v1/orders", body)
    assert response.status_code == status
    assert mentions in response.text
    assert api.get("/v1/orders").json()["items"] == []


def test_malformed_json_is_a_problem_not_a_crash(api: Api) -> None:
    response = api.client.post(
        "/v1/orders",
        content=b"{not json",
        headers={"Authorization": f"Bearer {api.keys.agent}", "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_promise_change_needs_a_current_if_match(api: Api) -> None:
    api.create_order()
    later = iso(api.clock.now() + 5 * 24 * H)
    missing = api.client.patch(
        "/v1/orders/SO-1042",
        json={"promised_at": later},
        headers={"Authorization": f"Bearer {api.keys.agent}"},
    )
    assert missing.status_code == 428
    api.update("SO-1042", "assembly", status="in_progress")
    stale = api.client.patch(
        "/v1/orders/SO-1042",
        json={"promised_at": later},
        headers={"Authorization": f"Bearer {api.keys.agent}", "If-Match": '"1"'},
    )
    assert stale.status_code == 412
    assert "version 2" in stale.json()["detail"]
    assert api.order("SO-1042")["version"] == 2
    fresh = api.client.patch(
        "/v1/orders/SO-1042",
        json={"promised_at": later},
        headers={"Authorization": f"Bearer {api.keys.agent}", "If-Match": '"2"'},
    )
    assert fresh.status_code == 200, fresh.text
    assert fresh.headers["etag"] == '"3"'
    assert api.event_types("SO-1042")[-1] == "order.updated"


def test_cancel_closes_every_open_stage(api: Api) -> None:
    api.create_order()
    response = api.client.patch(
        "/v1/orders/SO-1042",
        json={"cancel": True, "cancel_reason": "Customer left"},
        headers={"Authorization": f"Bearer {api.keys.agent}", "If-Match": '"1"'},
    )
    assert response.status_code == 200
    view = response.json()
    assert view["state"] == "cancelled"
    assert view["eta"]["likely_at"] is None
    assert {s["status"] for s in view["stages"]} == {"cancelled"}
    assert view["customer_message"]["en"] == "Your order has been cancelled."
    assert api.event_types("SO-1042")[-1] == "order.cancelled"
    again = api.update("SO-1042", "assembly", status="in_progress", expect=409)
    assert "cancelled" in again["detail"]


def test_list_filters(api: Api) -> None:
    api.define_flow(REPAIR)
    api.create_order("SO-1", customer="Toko Maju")
    api.create_order(
        "SO-2", customer="CV Sinar Jaya", promise_in=timedelta(hours=2)
    )  # at risk from the start
    api.create_order("RP-3", flow="repair", customer="Bengkel Darto", promise_in=timedelta(days=5))
    api.update("SO-1", "assembly", status="in_progress")

    def refs(**params: object) -> list[str]:
        response = api.get("/v1/orders", params=params)
        assert response.status_code == 200, response.text
        return [o["reference"] for o in response.json()["items"]]

    assert refs() == ["RP-3", "SO-2", "SO-1"]
    assert refs(state="at_risk") == ["SO-2"]
    assert refs(at_risk="true") == ["SO-2"]
    assert refs(at_risk="false") == ["RP-3", "SO-1"]
    assert refs(department="workshop") == ["RP-3"]
    assert refs(stage="assembly") == ["SO-2", "SO-1"]
    assert refs(q="sinar") == ["SO-2"]
    assert refs(q="so-") == ["SO-2", "SO-1"]
    api.clock.advance(3 * H)
    assert refs(state="late") == ["SO-2"]
    assert api.get("/v1/orders", params={"state": "lost"}).status_code == 422


def test_cursor_pagination_stays_correct_while_orders_are_added(api: Api) -> None:
    for n in range(7):
        api.create_order(f"SO-{n}")
    first = api.get("/v1/orders", params={"limit": 3}).json()
    api.create_order("SO-new")
    second = api.get("/v1/orders", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    third = api.get("/v1/orders", params={"limit": 3, "cursor": second["next_cursor"]}).json()
    seen = [o["reference"] for page in (first, second, third) for o in page["items"]]
    assert seen == [f"SO-{n}" for n in range(6, -1, -1)]
    assert third["next_cursor"] is None
    assert api.get("/v1/orders", params={"cursor": "garbage!"}).status_code == 422


def test_text_search_finds_any_part_of_reference_or_name_and_treats_wildcards_as_text(api: Api) -> None:
    api.create_order("SO-100", customer='Toko "Maju" 100%')
    api.create_order("SO-200", customer="Warung Bu Sri")
    api.create_order("XY-300", customer="UD Sentosa")

    def refs(q: str) -> list[str]:
        response = api.get("/v1/orders", params={"q": q})
        assert response.status_code == 200, response.text
        return [o["reference"] for o in response.json()["items"]]

    assert refs("bu sri") == ["SO-200"]
    assert refs("SENTO") == ["XY-300"]
    assert refs('"maju"') == ["SO-100"]
    assert refs("100%") == ["SO-100"]
    assert refs("%") == ["SO-100"]
    assert refs("_") == []
    assert refs("xy") == ["XY-300"]
    assert refs("o-") == ["SO-200", "SO-100"]
    assert refs("nothing like it") == []


def test_text_search_pages_newest_first_and_combines_with_filters(api: Api) -> None:
    for n in range(7):
        api.create_order(f"SO-{n}", customer=f"Toko Maju {n}")
        api.create_order(f"XY-{n}", customer=f"Warung {n}")

    def page(**params: object) -> tuple[list[str], str | None]:
        response = api.get("/v1/orders", params={"q": "toko maju", "limit": 3, **params})
        assert response.status_code == 200, response.text
        body = response.json()
        return [o["reference"] for o in body["items"]], body["next_cursor"]

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(4):
        refs, cursor = page(**({"cursor": cursor} if cursor else {}))
        seen += refs
        if cursor is None:
            break
    assert seen == [f"SO-{n}" for n in range(6, -1, -1)]
    assert page(stage="assembly")[0] == ["SO-6", "SO-5", "SO-4"]
    assert page(department="shipping") == ([], None)
    assert page(q="maju 5") == (["SO-5"], None)
