"""Scenario 2: the status view and the desk's lists, on a database of many orders and events."""

from __future__ import annotations

from typing import Any

import httpx

from bench.context import Context
from bench.datagen import MIX_PREFIX
from bench.paired import paired
from bench.servers import Server

VIEW_GOAL_MS = 10.0
LIST_GOAL_MS = 50.0


def queries(mixed_orders: int) -> list[tuple[str, str, list[str], float]]:
    """(label, path, extra wrk args, p99 goal in ms)."""
    # A reference an agent types in: it matches a handful of old orders, so a scan that
    # cannot use an index walks most of the table before it has a page.
    needle = f"{MIX_PREFIX}{max(0, mixed_orders // 7)}".lower()
    return [
        (
            "status view GET /v1/orders/{ref}",
            f"/v1/orders/{MIX_PREFIX}{{i}}",
            [str(mixed_orders)],
            VIEW_GOAL_MS,
        ),
        ("list ?state=at_risk", "/v1/orders?state=at_risk", [], LIST_GOAL_MS),
        ("list ?department=assembly", "/v1/orders?department=assembly", [], LIST_GOAL_MS),
        ("list ?q=<customer name>", "/v1/orders?q=sinar%20jaya%205", [], LIST_GOAL_MS),
        (f"list ?q=<a reference> ({needle})", f"/v1/orders?q={needle}", [], LIST_GOAL_MS),
    ]


def run(ctx: Context, service: Server, baseline: Server, key: str, mixed_orders: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for label, path, extra, goal in queries(mixed_orders):
        probe = path.replace("{i}", "0")
        response = httpx.get(service.url + probe, headers={"Authorization": f"Bearer {key}"}, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"GET {probe} answered {response.status_code}: {response.text[:300]}")
        ctx.say(f"reads: {label}")
        result = paired(
            ctx,
            service_url=service.url + "/",
            script="reads",
            args=[key, path, *extra],
            baseline_url=baseline.url,
            connections=ctx.options.read_connections,
        )
        items = response.json().get("items")
        result.update(
            label=label, path=path, goal_p99_ms=goal, items_on_probe=None if items is None else len(items)
        )
        result["goal_met"] = result["service"]["p99_ms"] < goal and result["service"]["errors"] == 0
        ctx.say(
            f"  p99 {result['service']['p99_ms']:.1f} ms (goal < {goal:.0f}), "
            f"{result['service']['rps']:.0f}/s"
        )
        rows.append(result)
    return rows
