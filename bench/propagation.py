"""Scenario 3: from an update's request to its arrival at SSE subscribers and webhook receivers.

A driver in this process posts updates at a steady rate (10/s by default), each to a different
order, and notes when each request was sent. The clock starts at the request, not at its
response: the service hands committed events to the stream before it answers the writer, so
subscribers may hear of an update before its author does, and a figure measured from the
response would come out negative. From the request, the figure includes the write itself.
Subscribers and receivers run in other processes and note when each event id arrived;
``GET /v1/events`` then says which update made which event. The same is done against the
baseline app's bare fan-out (``POST /publish``).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from app.models.event import EVENT_TYPES
from bench.context import Context
from bench.datagen import HOT_PREFIX
from bench.helpers import helper
from bench.servers import Server
from bench.stats import percentile, ratio
from bench.wrk import run_wrk

SSE_GOAL_P99_MS = 50.0
#: The goal: the load's backlog delivered within this long after the load stops.
DRAIN_GOAL_SECONDS = 60.0
#: How long the webhook scenario waits for the outbox to drain after the load: past the goal, so
#: that a miss is measured rather than cut off.
DRAIN_WAIT_SECONDS = 600.0
WEBHOOK_GOAL_P50_MS = 100.0
#: Orders W-0 .. handed out one per published update, so each event maps to one update.
_orders: Iterator[int] = itertools.count()


class Unavailable(Exception):
    """The service has no such endpoint (yet): the scenario is reported as not measured."""


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def service_publisher(client: httpx.Client, key: str) -> Callable[[], tuple[str, float]]:
    """Post one stage update; return (the order it touched, when its request was sent)."""

    def publish() -> tuple[str, float]:
        ref = f"{HOT_PREFIX}{next(_orders)}"
        sent = time.monotonic()
        response = client.post(
            f"/v1/orders/{ref}/stages/assembly/updates",
            json={"status": "blocked", "reason": "waiting_parts", "remaining_minutes": 300},
            headers=_bearer(key),
        )
        if response.status_code != 200:
            raise RuntimeError(f"update of {ref} answered {response.status_code}: {response.text[:300]}")
        return ref, sent

    return publish


def baseline_publisher(client: httpx.Client) -> Callable[[], tuple[str, float]]:
    def publish() -> tuple[str, float]:
        sent = time.monotonic()
        response = client.post("/publish")
        response.raise_for_status()
        return str(response.json()["id"]), sent

    return publish


def drive(publish: Callable[[], tuple[str, float]], rate: float, seconds: float) -> dict[str, float]:
    """Publish at ``rate``/s for ``seconds``; return when each publication's request was sent."""
    sent: dict[str, float] = {}
    interval = 1.0 / rate
    start = time.monotonic()
    for n in range(max(1, int(rate * seconds))):
        pause = start + n * interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        name, at = publish()
        sent[name] = at
    return sent


def event_subjects(client: httpx.Client, key: str, first: int, last: int) -> dict[int, str]:
    """Event id -> the order it is about, for ids first..last, from the log itself."""
    subjects: dict[int, str] = {}
    after = first - 1
    while after < last:
        page = client.get("/v1/events", params={"after": after, "limit": 1000}, headers=_bearer(key)).json()
        if not page["items"]:
            break
        for item in page["items"]:
            subjects[int(item["id"])] = item["subject"]
        after = int(page["next_after"])
    return subjects


def latencies_ms(
    arrivals: dict[int, list[float]], sent: dict[str, float], subject_of: Callable[[int], str | None]
) -> tuple[list[float], int]:
    """Arrival minus request, per (event, receiver); and how many events were ours."""
    samples: list[float] = []
    ours = 0
    for event_id, times in arrivals.items():
        subject = subject_of(event_id)
        if subject is None or subject not in sent:
            continue
        ours += 1
        samples += [(t - sent[subject]) * 1000 for t in times]
    return samples, ours


def _figures(samples: list[float]) -> dict[str, float | None]:
    if not samples:
        return {"p50_ms": None, "p99_ms": None, "samples": 0}
    return {"p50_ms": percentile(samples, 50), "p99_ms": percentile(samples, 99), "samples": len(samples)}


def sse_once(
    ctx: Context,
    url: str,
    key: str | None,
    subscribers: int,
    publish: Callable[[], tuple[str, float]],
    subject_of: Callable[[dict[int, list[float]]], Callable[[int], str | None]],
    tag: str,
) -> dict[str, Any]:
    out = ctx.options.workdir / f"sse-{tag}-{subscribers}.json"
    args = [url, "--subscribers", str(subscribers)] + (["--key", key] if key else [])
    with helper("bench.sse_load", args, out) as clients:
        connected, failed = (int(x) for x in clients.ready())
        if connected == 0:
            first = (clients.finish().get("failed") or ["?"])[0]
            raise Unavailable(f"no subscriber could connect to {url} ({failed} failed; {first})")
        sent = drive(publish, ctx.options.publish_rate, ctx.options.seconds)
        time.sleep(1.0)  # stragglers
        raw = clients.finish()
    arrivals = {int(k): v for k, v in raw["arrivals"].items()}
    samples, events = latencies_ms(arrivals, sent, subject_of(arrivals))
    expected = events * connected
    return {
        "subscribers": subscribers,
        "connected": connected,
        "failed": failed,
        "dropped": raw["dropped"],
        "events": events,
        "missing": expected - len(samples),
        **_figures(samples),
    }


def sse(ctx: Context, service: Server, baseline: Server, key: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with (
        httpx.Client(base_url=service.url, timeout=30) as api,
        httpx.Client(base_url=baseline.url, timeout=30) as bare,
    ):
        for subscribers in ctx.options.subscribers:
            ctx.say(f"propagation: SSE, {subscribers} subscriber(s)")

            def service_subjects(arrivals: dict[int, list[float]]) -> Callable[[int], str | None]:
                if not arrivals:
                    return lambda _: None
                found = event_subjects(api, key, min(arrivals), max(arrivals))
                return found.get

            try:
                svc = sse_once(
                    ctx, service.url + "/v1/stream", key, subscribers, service_publisher(api, key),
                    service_subjects, "service",
                )  # fmt: skip
            except Unavailable as exc:
                rows.append({"subscribers": subscribers, "unavailable": str(exc)})
                ctx.say(f"  not measured: {exc}")
                continue
            base = sse_once(
                ctx, baseline.url + "/stream", None, subscribers, baseline_publisher(bare),
                lambda _arrivals: lambda event_id: str(event_id), "baseline",
            )  # fmt: skip
            row = {
                "subscribers": subscribers,
                "service": svc,
                "baseline": base,
                "ratio_p99": ratio(svc["p99_ms"], base["p99_ms"]),
                "peak_rss_mb": service.peak_rss_mb(),
                "baseline_peak_rss_mb": baseline.peak_rss_mb(),
            }
            if subscribers >= 1000:
                row["goal_met"] = svc["p99_ms"] is not None and svc["p99_ms"] < SSE_GOAL_P99_MS
            rows.append(row)
            ctx.say(f"  p50 {svc['p50_ms']} ms, p99 {svc['p99_ms']} ms (baseline p99 {base['p99_ms']} ms)")
    return rows


def _event_types_field(client: httpx.Client) -> str | None:
    """The name the webhook API gives its event-type filter, read from the OpenAPI document."""
    spec = client.get("/openapi.json").json()
    operation = spec.get("paths", {}).get("/v1/webhooks", {}).get("post")
    if operation is None:
        return None
    ref = operation["requestBody"]["content"]["application/json"]["schema"].get("$ref", "")
    schema = spec["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    for name in ("event_types", "types", "events", "filter_types"):
        if name in schema.get("properties", {}):
            return name
    return "event_types"


def register_service_hooks(client: httpx.Client, admin_key: str, ports: list[int]) -> None:
    field = _event_types_field(client)
    if field is None:
        raise Unavailable("POST /v1/webhooks is not in this build")
    for port in ports:
        body = {"url": f"http://127.0.0.1:{port}/hook", field: list(EVENT_TYPES)}
        response = client.post("/v1/webhooks", json=body, headers=_bearer(admin_key))
        if response.status_code not in (200, 201):
            raise RuntimeError(f"POST /v1/webhooks sent {response.status_code}: {response.text[:300]}")


def webhooks_once(
    ctx: Context,
    *,
    register: Callable[[list[int]], None],
    publish: Callable[[], tuple[str, float]],
    subject_of: Callable[[dict[int, list[float]]], Callable[[int], str | None]],
    load: Callable[[], Any],
    tag: str,
) -> dict[str, Any]:
    """First-attempt latency with one endpoint, then a sustained load with all endpoints."""
    opts = ctx.options
    out = ctx.options.workdir / f"webhooks-{tag}.json"
    with helper("bench.webhook_receiver", ["--endpoints", str(opts.webhook_endpoints)], out) as receivers:
        ports = [int(p) for p in receivers.ready()]
        register(ports[:1])
        sent = drive(publish, opts.publish_rate, opts.seconds)
        time.sleep(2.0)
        register(ports[1:])
        time.sleep(0.5)
        load_start = time.monotonic()
        wrk_result = load()
        load_end = time.monotonic()
        # Let the outbox drain: stop once no delivery arrived for 2 s (DRAIN_WAIT_SECONDS at most).
        last_count, quiet_since = -1, time.monotonic()
        deadline = time.monotonic() + DRAIN_WAIT_SECONDS
        drained = False
        while time.monotonic() < deadline:
            time.sleep(0.5)
            count = receivers.count()
            if count != last_count:
                last_count, quiet_since = count, time.monotonic()
            elif time.monotonic() - quiet_since > 2:
                drained = True
                break
        raw = receivers.finish()
    deliveries = [(int(e), str(w), float(t)) for e, w, t in raw["deliveries"]]
    # The endpoints registered together before the load must each have got every event the others
    # got (webhook ids, distinct): a shortfall is a delivery missing.
    late: dict[int, set[str]] = {}
    for endpoint, webhook_id, _ in deliveries:
        if endpoint > 0:
            late.setdefault(endpoint, set()).add(webhook_id)
    every = set().union(*late.values()) if late else set()
    missing = sum(len(every - got) for got in late.values()) + len(every) * (
        opts.webhook_endpoints - 1 - len(late)
    )
    first_attempts: dict[int, list[float]] = {}
    for endpoint, webhook_id, at in deliveries:
        if endpoint == 0 and webhook_id.isdigit() and at < load_start:
            first_attempts.setdefault(int(webhook_id), []).append(at)
    arrivals = {k: [min(v)] for k, v in first_attempts.items()}
    samples, events = latencies_ms(arrivals, sent, subject_of(arrivals))
    in_window = [t for _, _, t in deliveries if load_start <= t <= load_end]
    after_load = [t for _, _, t in deliveries if t > load_end]
    drained_after = (max(after_load) - load_end) if after_load else 0.0
    return {
        "events": events,
        **_figures(samples),
        "load_seconds": load_end - load_start,
        "deliveries_in_load": len(in_window),
        "deliveries_per_s": len(in_window) / (load_end - load_start),
        "deliveries_after_load": len(after_load),
        "drain_seconds": drained_after,
        "drained": drained,
        "drain_goal_met": drained and drained_after <= DRAIN_GOAL_SECONDS,
        "missing_at_late_endpoints": missing,
        "load": wrk_result,
    }


def webhooks(ctx: Context, service: Server, baseline: Server, key: str, admin_key: str) -> dict[str, Any]:
    opts = ctx.options
    with (
        httpx.Client(base_url=service.url, timeout=30) as api,
        httpx.Client(base_url=baseline.url, timeout=30) as bare,
    ):
        ctx.say(
            f"propagation: webhooks (1 endpoint at {opts.publish_rate:.0f}/s, then {opts.webhook_endpoints})"
        )

        def service_subjects(arrivals: dict[int, list[float]]) -> Callable[[int], str | None]:
            return (
                event_subjects(api, key, min(arrivals), max(arrivals)).get if arrivals else (lambda _: None)
            )

        def service_load() -> dict[str, Any]:
            return run_wrk(
                ctx.wrk, service.url + "/", "stage_updates",
                [HOT_PREFIX, str(opts.write_orders), key, "0"], connections=16, seconds=opts.seconds,
            ).as_dict()  # fmt: skip

        def baseline_load() -> dict[str, Any]:
            return run_wrk(
                ctx.wrk, baseline.url + "/publish", "publish", [], connections=16, seconds=opts.seconds
            ).as_dict()

        def register_baseline(ports: list[int]) -> None:
            for port in ports:
                bare.post("/webhooks", json={"url": f"http://127.0.0.1:{port}/hook"}).raise_for_status()

        try:
            svc = webhooks_once(
                ctx,
                register=lambda ports: register_service_hooks(api, admin_key, ports),
                publish=service_publisher(api, key),
                subject_of=service_subjects,
                load=service_load,
                tag="service",
            )
        except Unavailable as exc:
            ctx.say(f"  not measured: {exc}")
            return {"unavailable": str(exc)}
        base = webhooks_once(
            ctx,
            register=register_baseline,
            publish=baseline_publisher(bare),
            subject_of=lambda _arrivals: lambda event_id: str(event_id),
            load=baseline_load,
            tag="baseline",
        )
    result = {
        "endpoints": opts.webhook_endpoints,
        "service": svc,
        "baseline": base,
        "ratio_p50": ratio(svc["p50_ms"], base["p50_ms"]),
        "ratio_rate": ratio(svc["deliveries_per_s"], base["deliveries_per_s"]),
        "goal_met": svc["p50_ms"] is not None and svc["p50_ms"] < WEBHOOK_GOAL_P50_MS,
    }
    ctx.say(f"  first attempt p50 {svc['p50_ms']} ms; {svc['deliveries_per_s']:.0f} deliveries/s")
    return result
