"""The typed client in clients/python: generated from openapi/openapi.json as it stands, and
working against a real server as another system would use it."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import Keys
from tests.live import LiveServer
from tests.served import REPO
from tests.webhook_receiver import Receiver

CLIENT = REPO / "clients" / "python"


def differences(a: Path, b: Path) -> list[str]:
    """Files that are only on one side, or differ, below two folders (bytecode left aside)."""
    ignore = ["__pycache__", ".ruff_cache"]
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], where: str) -> None:
        found.extend(f"{where}{name} (only in clients/python)" for name in cmp.left_only)
        found.extend(f"{where}{name} (missing from clients/python)" for name in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(f"{where}{name}" for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{where}{name}/")

    walk(filecmp.dircmp(a, b, ignore=ignore), "")
    return found


def test_the_client_is_what_the_openapi_document_generates(tmp_path: Path) -> None:
    fresh = tmp_path / "python"
    subprocess.run(
        [sys.executable, str(REPO / "clients" / "generate.py"), str(fresh)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    stale = differences(CLIENT, fresh)
    assert not stale, (
        "clients/python no longer matches openapi/openapi.json; run ./dev client (./dev openapi does it "
        "too). Differing: " + ", ".join(stale[:20])
    )


def test_another_system_drives_a_live_server_with_the_client(
    live: LiveServer, live_keys: Keys, receiver: Receiver
) -> None:
    try:
        from nextdesk_client import AuthenticatedClient
    except ImportError:  # pragma: no cover - a clear word instead of a bare ImportError
        pytest.fail("the client is not installed: ./dev test installs clients/python (uv's 'client' group)")
    from nextdesk_client.api.events import events_list_events
    from nextdesk_client.api.orders import orders_create_order, orders_get_order
    from nextdesk_client.api.stages import stages_post_stage_update
    from nextdesk_client.api.webhooks import webhooks_create_webhook
    from nextdesk_client.models import (
        CustomerIn,
        MoneyInInput,
        OrderCreate,
        OrderPublic,
        Problem,
        WebhookCreate,
        WebhookCreated,
    )

    erp = AuthenticatedClient(base_url=live.url, token=live_keys.admin)
    promised = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    with erp:
        created = orders_create_order.sync_detailed(
            client=erp,
            body=OrderCreate(
                reference="ERP-77",
                customer=CustomerIn(name="Toko Maju", contact="+62 21 555 0100"),
                promised_at=promised,
                quoted_cost=MoneyInInput(amount="1250000.00", currency="IDR"),
            ),
        )
        assert created.status_code == 201
        assert isinstance(created.parsed, OrderPublic)
        assert created.parsed.current_stages == ["assembly"]

        # A stage update with an Idempotency-Key, sent twice as a retry would: applied once.
        update = {"status": "in_progress", "assignee": "Budi"}
        first = stages_post_stage_update.sync_detailed(
            "ERP-77", "assembly", client=erp, body=update, idempotency_key="erp-77-start"
        )
        again = stages_post_stage_update.sync_detailed(
            "ERP-77", "assembly", client=erp, body=update, idempotency_key="erp-77-start"
        )
        assert first.status_code == again.status_code == 200
        assert isinstance(first.parsed, OrderPublic)
        assert isinstance(again.parsed, OrderPublic)
        assert again.parsed.version == first.parsed.version

        # A move the stage cannot make comes back as a typed problem.
        refused = stages_post_stage_update.sync_detailed(
            "ERP-77", "shipping", client=erp, body={"status": "done"}
        )
        assert refused.status_code == 409
        assert isinstance(refused.parsed, Problem)

        view = orders_get_order.sync("ERP-77", client=erp)
        assert isinstance(view, OrderPublic)
        assert view.promised_at == promised
        assert [s.status for s in view.stages][0] == "in_progress"

        # The event log, page by page, as a reader that keeps up does.
        seen: list[str] = []
        after = 0
        while True:
            page = events_list_events.sync(client=erp, after=after, limit=2, order="ERP-77")
            assert page is not None
            body = page.to_dict()
            seen += [e["type"] for e in body["items"]]
            if not body["items"]:
                break
            after = body["next_after"]
        assert seen[:3] == ["order.created", "stage.ready", "stage.started"]
        assert seen.count("stage.started") == 1

        receiver.secrets.clear()
        registered = webhooks_create_webhook.sync(
            client=erp, body=WebhookCreate(url=receiver.url, orders=["ERP-77"])
        )
        assert isinstance(registered, WebhookCreated)
        receiver.secrets.append(registered.secret)
        stages_post_stage_update.sync(
            "ERP-77", "assembly", client=erp, body={"status": "blocked", "reason": "waiting_parts"}
        )
        delivered = receiver.wait_for(1, of=lambda r: r.payload["type"] == "stage.blocked")
        assert delivered[0].payload["subject"] == "ERP-77"
        assert delivered[0].verified_with == (registered.secret,)
