from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import httpx

from tests.conftest import Keys
from tests.live import LiveServer
from tests.support import Api, bearer


def test_envelope_is_cloudevents(api: Api) -> None:
    api.create_order()
    api.update("SO-1042", "assembly", status="in_progress", key=api.keys.assembly)
    event = api.events(order="SO-1042", type="stage.started")[0]
    assert event["specversion"] == "1.0"
    assert event["source"] == "/nextdesk"
    assert event["subject"] == "SO-1042"
    assert event["datacontenttype"] == "application/json"
    assert event["id"].isdigit()
    datetime.fromisoformat(event["time"])
    data = event["data"]
    assert data["order"] == "SO-1042"
    assert data["order_version"] == 2
    assert data["stage"] == "assembly"
    assert data["department"] == "assembly"
    assert data["actor_name"] == "Budi, assembly line 2"
    assert data["actor"].startswith("key:key_")
    assert data["previous_status"] == "ready"
    assert data["status"] == "in_progress"


def test_filters_and_paging(api: Api) -> None:
    api.create_order("SO-1")
    api.create_order("SO-2")
    api.update("SO-1", "assembly", status="in_progress")
    everything = api.events()
    ids = [int(e["id"]) for e in everything]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    page = api.get("/v1/events", params={"limit": 2}).json()
    assert [e["id"] for e in page["items"]] == [e["id"] for e in everything[:2]]
    rest = api.get("/v1/events", params={"after": page["next_after"], "limit": 100}).json()
    assert [e["id"] for e in page["items"] + rest["items"]] == [e["id"] for e in everything]
    assert {e["subject"] for e in api.events(order="SO-2")} == {"SO-2"}
    assert {e["type"] for e in api.events(type="stage.*")} == {"stage.ready", "stage.started"}
    assert api.events(order="SO-unknown") == []
    assert api.get("/v1/events", params={"type": "order.exploded"}).status_code == 422


def test_timeline_is_the_orders_events_oldest_first(api: Api) -> None:
    api.create_order()
    api.update("SO-1042", "assembly", status="in_progress")
    timeline = api.get("/v1/orders/SO-1042/timeline").json()["items"]
    assert [e["type"] for e in timeline] == ["order.created", "stage.ready", "stage.started"]
    assert api.get("/v1/orders/SO-404/timeline").status_code == 404


def test_paging_while_writes_go_on_never_skips_or_repeats(live: LiveServer, live_keys: Keys) -> None:
    """Writers in several threads; a reader pages with after= until they stop and the log is drained."""
    url = live.url
    promise = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    writers_done = threading.Event()
    errors: list[str] = []

    def write(worker: int) -> None:
        with httpx.Client(base_url=url, headers=bearer(live_keys.technician), timeout=30) as client:
            for n in range(15):
                ref = f"W{worker}-{n}"
                response = client.post(
                    "/v1/orders",
                    json={
                        "reference": ref,
                        "customer": {"name": "Load"},
                        "promised_at": promise,
                        "quoted_cost": {"amount": "1.00", "currency": "IDR"},
                    },
                    headers=bearer(live_keys.agent),
                )
                if response.status_code != 201:
                    errors.append(response.text)
                client.post(f"/v1/orders/{ref}/stages/assembly/updates", json={"status": "in_progress"})

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    seen: list[int] = []
    after = 0
    with httpx.Client(base_url=url, headers=bearer(live_keys.viewer), timeout=30) as reader:
        while True:
            finished = writers_done.is_set()
            page = reader.get("/v1/events", params={"after": after, "limit": 7}).json()
            seen.extend(int(e["id"]) for e in page["items"])
            after = page["next_after"]
            if finished and not page["items"]:
                break
            if all(not t.is_alive() for t in threads):
                writers_done.set()
    assert not errors
    assert seen == list(range(1, len(seen) + 1)), "the log was read with a gap or a repeat"
    # order.created, stage.ready and stage.started for each of the 60 orders
    assert len(seen) == 4 * 15 * 3
