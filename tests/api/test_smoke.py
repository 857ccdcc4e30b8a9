from __future__ import annotations

from tests.support import Api


def test_order_walks_through_standard_flow(api: Api) -> None:
    order = api.create_order()
    assert order["state"] == "open"
    assert order["current_stages"] == ["assembly"]
    api.update("SO-1042", "assembly", status="in_progress")
    api.update("SO-1042", "assembly", status="done")
    view = api.update("SO-1042", "finance", status="in_progress")
    assert view["current_stages"] == ["finance"]
    assert api.event_types("SO-1042")[:3] == ["order.created", "stage.ready", "stage.started"]
