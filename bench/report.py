"""RESULTS.md: the harness's own block, rewritten each run between two markers; whatever else
the file holds (other sections, notes on the figures) is kept as it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.propagation import DRAIN_GOAL_SECONDS

BEGIN = "<!-- bench:begin (written by `./dev bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"
TITLE = "# nextdesk benchmark results\n"
GROWTH_BEGIN = (
    "<!-- bench:growth:begin (written by `./dev bench --scenarios growth`; edit outside these markers) -->"
)
GROWTH_END = "<!-- bench:growth:end -->"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} ms"


def _num(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _met(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "**no**")


def _machine(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    p = m["packages"]
    return [
        "### Machine and versions",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}; "
        "shared with other work while measured",
        f"- Python {m['python']}, FastAPI {p['fastapi']} (Starlette {p['starlette']}), "
        f"pydantic {p['pydantic']}, "
        f"uvicorn {p['uvicorn']} (uvloop {p['uvloop']}, httptools {p['httptools']}), "
        f"SQLAlchemy {p['sqlalchemy']}, SQLModel {p['sqlmodel']}, psycopg {p['psycopg']}",
        f"- SQLite {m['sqlite']}; PostgreSQL {results.get('postgres_version') or 'not used'}; "
        f"{results['wrk']}",
        "",
    ]


def _replicas(row: dict[str, Any]) -> str:
    """A write row's replica count; results measured before replicas were separate processes
    counted uvicorn workers on one socket, and say so."""
    if "replicas" in row:
        return str(row["replicas"])
    return f"{row['workers']} (uvicorn workers, one socket)"


def _writes(section: dict[str, Any]) -> list[str]:
    lines = [
        "### 1. Stage updates (auth, state machine, ETA, event rows; goal: >= 0.5 x echo, p99 < 25 ms at 16)",
        "",
        f"Fresh database per run: {section['orders']:,} orders with assembly in progress, "
        f"{section['events']:,} events. Each update flips a stage between blocked and in_progress "
        "and revises its remaining time, round-robin over the orders. SQLite: one process. "
        "PostgreSQL: N replicas (separate processes, connections spread evenly), as behind a load "
        "balancer: N service processes of one uvicorn worker each, on their own ports and the same "
        "database, loaded by N wrk processes at once, each with connections / N connections and its "
        "own slice of the orders. Their updates/s are summed; p50 is the median of their p50s, p99 "
        "the highest of their p99s (conservative); errors are summed. The echo baseline is one bare "
        "app driven by one wrk with all the connections.",
        "",
        "| database | replicas | connections | updates/s | echo/s | ratio | p50 | p99 | echo p99 "
        "| errors | goal met |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in section["rows"]:
        s, b = r["service"], r["baseline"]
        lines.append(
            f"| {r['database']} | {_replicas(r)} | {r['connections']} | {_num(s['rps'])} "
            f"| {_num(b['rps'])} | "
            f"{_ratio(r['ratio_rps'])} | {_ms(s['p50_ms'])} | {_ms(s['p99_ms'])} | {_ms(b['p99_ms'])} | "
            f"{s['errors']} | {_met(r['goal_met'])} |"
        )
    lines += [f"- not measured: {why}" for why in section["skipped"]]
    return [*lines, ""]


def _reads(big: dict[str, Any], connections: int) -> list[str]:
    lines = [
        f"### 2. Reads ({big['orders']:,} orders, {big['events']:,} events, {big['database']}; "
        f"{connections} connections)",
        "",
        f"Data made by the harness in {big['load_seconds']:.0f} s (bulk inserts, indexes rebuilt after).",
        "",
        "| query | p50 | p99 | goal (p99) | goal met | req/s | echo req/s | ratio | echo p99 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in big.get("reads", []):
        s, b = r["service"], r["baseline"]
        lines.append(
            f"| {r['label']} | {_ms(s['p50_ms'])} | {_ms(s['p99_ms'])} | < {r['goal_p99_ms']:.0f} ms | "
            f"{_met(r['goal_met'])} | {_num(s['rps'])} | {_num(b['rps'])} | {_ratio(r['ratio_rps'])} | "
            f"{_ms(b['p99_ms'])} |"
        )
    return [*lines, ""]


def _sse(rows: list[dict[str, Any]], rate: float) -> list[str]:
    lines = [
        f"### 3. Propagation to SSE subscribers ({rate:.0f} updates/s; goal: p99 < 50 ms at 1,000)",
        "",
        "From the update's request (sent by the client) to the `id:` line's arrival at each subscriber "
        "(subscribers in another process). Baseline: the bare app's StreamingResponse fan-out.",
        "",
        "| subscribers | p50 | p99 | echo fan-out p50 | echo fan-out p99 | ratio p99 | missing | goal met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "service" not in r:
            lines.append(f"| {r['subscribers']:,} | not measured: {r.get('unavailable')} | | | | | | |")
            continue
        s, b = r["service"], r["baseline"]
        lines.append(
            f"| {r['subscribers']:,} | {_ms(s['p50_ms'])} | {_ms(s['p99_ms'])} | {_ms(b['p50_ms'])} | "
            f"{_ms(b['p99_ms'])} | {_ratio(r['ratio_p99'])} | {s['missing']} | {_met(r.get('goal_met'))} |"
        )
    return [*lines, ""]


def _drain(side: dict[str, Any]) -> str:
    # Runs made before "drained" was recorded waited 60 s at most: the wait ended at its cap if
    # deliveries were still arriving within its last two seconds.
    drained = side.get("drained", side["drain_seconds"] < DRAIN_GOAL_SECONDS - 2)
    missing = side.get("missing_at_late_endpoints")
    shown = f"{side['deliveries_after_load']:,} in {side['drain_seconds']:.1f} s" + (
        f", {missing:,} missing" if missing else ""
    )
    if drained:
        return shown
    return f"not drained: {shown}, still sending when the wait ended"


def _webhooks(w: dict[str, Any] | None, rate: float) -> list[str]:
    lines = ["### 3b. Webhooks (goal: commit -> first attempt p50 < 100 ms)", ""]
    if w is None:
        return [*lines, "Not run.", ""]
    if "unavailable" in w:
        return [*lines, f"Not measured: {w['unavailable']}.", ""]
    s, b = w["service"], w["baseline"]
    lines += [
        f"First attempt: one endpoint, {rate:.0f} updates/s, from the update's request to the "
        f"webhook request's arrival at the receiver. Sustained: {w['endpoints']} endpoints while wrk "
        "posts stage updates (16 connections). Baseline: the bare app POSTing each event to each "
        "receiver at once, no outbox.",
        "",
        "| figure | service | baseline | ratio | goal met |",
        "|---|---|---|---|---|",
        f"| first attempt p50 | {_ms(s['p50_ms'])} | {_ms(b['p50_ms'])} | {_ratio(w['ratio_p50'])} | "
        f"{_met(w['goal_met'])} |",
        f"| first attempt p99 | {_ms(s['p99_ms'])} | {_ms(b['p99_ms'])} | | |",
        f"| deliveries/s during load ({w['endpoints']} endpoints) | {_num(s['deliveries_per_s'])} | "
        f"{_num(b['deliveries_per_s'])} | {_ratio(w['ratio_rate'])} | |",
        f"| backlog drained after load (goal: within {DRAIN_GOAL_SECONDS:.0f} s) | {_drain(s)} | "
        f"{_drain(b)} | | {_met(s.get('drain_goal_met'))} |",
        "",
    ]
    return lines


def _memory(m: dict[str, Any] | None, orders: int) -> list[str]:
    if m is None:
        return []
    subs = f"{m['with_subscribers']:,} SSE subscribers" if m["with_subscribers"] else "no SSE subscribers"
    return [
        "### 4. Memory (goal: peak RSS < 300 MB)",
        "",
        f"Peak RSS (VmHWM) of the service's worker after the reads and propagation above, "
        f"{orders:,}-order database, {subs}: **{m['service_peak_rss_mb']:.0f} MB** "
        f"(baseline app: {m['baseline_peak_rss_mb']:.0f} MB, ratio {_ratio(m['ratio'])}); "
        f"goal met: {_met(m['goal_met'])}.",
        "",
    ]


def gaps(results: dict[str, Any]) -> list[str]:
    """Every goal not met, with its figure: the notes below the block say why."""
    found: list[str] = []
    for r in results.get("writes", {}).get("rows", []):
        if r["goal_met"] is False:
            found.append(
                f"stage updates, {r['database']}, {_replicas(r)} replica(s), {r['connections']} connections: "
                f"ratio {_ratio(r['ratio_rps'])} (goal 0.5), p99 {_ms(r['service']['p99_ms'])}"
            )
    big = results.get("large", {})
    for r in big.get("reads", []):
        if not r["goal_met"]:
            found.append(
                f"{r['label']}: p99 {_ms(r['service']['p99_ms'])} (goal < {r['goal_p99_ms']:.0f} ms)"
            )
    for r in big.get("sse", []):
        if r.get("goal_met") is False:
            found.append(f"SSE at {r['subscribers']:,}: p99 {_ms(r['service']['p99_ms'])} (goal < 50 ms)")
        if "unavailable" in r:
            found.append(f"SSE at {r['subscribers']:,}: not measured ({r['unavailable']})")
    w = big.get("webhooks")
    if w and "unavailable" in w:
        found.append(f"webhooks: not measured ({w['unavailable']})")
    elif w and not w["goal_met"]:
        found.append(f"webhooks first attempt p50 {_ms(w['service']['p50_ms'])} (goal < 100 ms)")
    if w and "unavailable" not in w and w["service"].get("drain_goal_met") is False:
        found.append(
            f"webhooks: the load's backlog took {w['service']['drain_seconds']:.0f} s after the load "
            f"(goal: within {DRAIN_GOAL_SECONDS:.0f} s)"
        )
    m = big.get("memory")
    if m and not m["goal_met"]:
        found.append(f"memory: peak RSS {m['service_peak_rss_mb']:.0f} MB (goal < 300 MB)")
    return found


def render(results: dict[str, Any]) -> str:
    opts = results["options"]
    lines = [
        BEGIN,
        "## Benchmarks",
        "",
        f"Measured {results['date']} with `{results['command']}` "
        f"({opts['seconds']:.0f} s runs, median of {opts['repeats']}; {results['mode']} mode; "
        f"the whole run took {results['elapsed_seconds'] / 60:.0f} min), code at commit "
        f"{results.get('commit', 'unknown')}.",
        "Every figure was measured in the same run as its baseline, the two taking turns: the "
        "baseline is a bare FastAPI app (`bench/baseline.py`) served by uvicorn with the service's own "
        "flags (one worker, uvloop, httptools, no access log), and wrk (`-t1`) drives both on 127.0.0.1. "
        "Ratios are service / baseline; absolute figures move with the machine's other load.",
        "",
        *_machine(results),
    ]
    if "writes" in results:
        lines += _writes(results["writes"])
    big = results.get("large")
    if big:
        if "reads" in big:
            lines += _reads(big, opts["read_connections"])
        if "sse" in big:
            lines += _sse(big["sse"], opts["publish_rate"])
        if "webhooks" in big:
            lines += _webhooks(big["webhooks"], opts["publish_rate"])
        lines += _memory(big.get("memory"), big["orders"])
    found = gaps(results)
    lines += ["### Goals not met", ""]
    lines += [f"- {g}" for g in found] if found else ["None."]
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_results(path: Path, results: dict[str, Any]) -> None:
    block = render(results)
    text = path.read_text() if path.exists() else TITLE
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)


def render_growth(results: dict[str, Any]) -> str:
    g = results["growth"]
    lines = [
        GROWTH_BEGIN,
        f"## Database growth per keyed stage update (goal: at most {g['goal_bytes']:,} bytes)",
        "",
        f"Measured {results['date']} with `{results['command']}`, code at commit "
        f"{results.get('commit', 'unknown')}; SQLite {results['machine']['sqlite']}.",
        "",
        f"A fresh SQLite file, the service run by uvicorn as a user runs it; {g['orders']} orders made "
        f"and started through the API, then {g['updates']:,} stage updates, each with its own "
        "`Idempotency-Key`, flipping assembly between blocked and in_progress with a revised remaining "
        "time (the write scenario's updates). Growth is the file's size between two quiet points: the "
        "outbox drained and the WAL checkpointed into the file (`wal_checkpoint(TRUNCATE)`). Nothing "
        "is vacuumed; nothing is old enough for retention to remove within the run, so the figure is "
        "what each update costs until its idempotency record (24 h) and deliveries (30 days) are "
        "pruned. Used pages: page count less the free list.",
        "",
        "| setup | bytes per update (file) | used pages per update | goal met |",
        "|---|---|---|---|",
    ]
    for r in g["rows"]:
        figures = f"{r['bytes_per_update']:,.0f} | {r['used_per_update']:,.0f}"
        lines.append(f"| {r['label']} | {figures} | {_met(r['goal_met'])} |")
    lines += ["", "Where the bytes go (SQLite `dbstat`, bytes per update, tables and their indexes):", ""]
    names = sorted({n for r in g["rows"] for n in r["objects_per_update"]})
    lines.append("| table or index | " + " | ".join(r["label"] for r in g["rows"]) + " |")
    lines.append("|---|" + "---|" * len(g["rows"]))
    order = sorted(names, key=lambda n: -max(r["objects_per_update"].get(n, 0) for r in g["rows"]))
    for name in order:
        cells = " | ".join(f"{r['objects_per_update'].get(name, 0):,.0f}" for r in g["rows"])
        lines.append(f"| {name} | {cells} |")
    lines += ["", GROWTH_END]
    return "\n".join(lines) + "\n"


def write_growth(path: Path, results: dict[str, Any]) -> None:
    block = render_growth(results)
    text = path.read_text() if path.exists() else TITLE
    if GROWTH_BEGIN in text and GROWTH_END in text:
        head, rest = text.split(GROWTH_BEGIN, 1)
        text = head + block.rstrip("\n") + rest.split(GROWTH_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)


RECOVERY_BEGIN = (
    "<!-- bench:recovery:begin (written by `./dev bench --scenarios recovery`; "
    "edit outside these markers) -->"
)
RECOVERY_END = "<!-- bench:recovery:end -->"


def render_recovery(results: dict[str, Any]) -> str:
    r = results["recovery"]
    recovered = "not within the wait" if r["recovery_seconds"] is None else f"{r['recovery_seconds']:.1f} s"
    first = "-" if r["first_delivery_seconds"] is None else f"{r['first_delivery_seconds']:.1f} s"
    lines = [
        RECOVERY_BEGIN,
        f"## Delivery recovery after a receiver's outage (goal: every pending event within "
        f"{r['goal_seconds']:.0f} s of its return)",
        "",
        f"Measured {results['date']} with `{results['command']}`, code at commit "
        f"{results.get('commit', 'unknown')}.",
        "",
        "A fresh SQLite file, the service run by uvicorn as a user runs it, with its default delivery "
        "settings (a probe every `NEXTDESK_WEBHOOK_PROBE_SECONDS` while an endpoint fails, the default "
        "retry schedule). One endpoint, subscribed to every event, registered on a port of 127.0.0.1 "
        f"where nothing listens (every attempt refused) for {r['outage_seconds']:.0f} s, while "
        f"{r['write_rate']:g} keyed stage updates a second go on; then the receiver listens on that port. "
        "Timed on `time.monotonic()` from the moment it listens until it has every event up to the "
        "newest in the log just after it came back; the writes go on meanwhile.",
        "",
        "| receiver down | events pending at its return | first delivery after its return "
        "| all pending events after its return | delivered per second | missing | goal met |",
        "|---|---|---|---|---|---|---|",
        f"| {r['measured_outage_seconds']:.0f} s | {r['events_pending']:,} | {first} | {recovered} "
        f"| {_num(r['drain_per_second'])} | {r['missing']} | {_met(r['goal_met'])} |",
        "",
        *(
            [
                f"While it was down, {r['attempts_while_down']:,} attempts were made to it (each refused), "
                f"{r['attempts_while_down'] / r['measured_outage_seconds']:.2f} a second.",
                "",
            ]
            if "attempts_while_down" in r
            else []
        ),
        f"While it drained, the service used {r['service_cpu_seconds']:.1f} s of CPU, "
        f"{r['service_cpu_share']:.0%} of a core (the writes' share included); the machine's load "
        f"average was {r['load_average']:.1f} on {r['cores']} cores.",
        "",
        RECOVERY_END,
    ]
    return "\n".join(lines) + "\n"


def write_recovery(path: Path, results: dict[str, Any]) -> None:
    block = render_recovery(results)
    text = path.read_text() if path.exists() else TITLE
    if RECOVERY_BEGIN in text and RECOVERY_END in text:
        head, rest = text.split(RECOVERY_BEGIN, 1)
        text = head + block.rstrip("\n") + rest.split(RECOVERY_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)


DRAIN_BEGIN = (
    "<!-- bench:drain:begin (written by `./dev bench --scenarios drain`; edit outside these markers) -->"
)
DRAIN_END = "<!-- bench:drain:end -->"


def render_drain(results: dict[str, Any]) -> str:
    d = results["drain"]
    s, b = d["service"], d["baseline"]
    lines = [
        DRAIN_BEGIN,
        f"## Draining a webhook backlog, one idle process (goal: at least {d['goal_per_second']:,.0f} "
        f"deliveries/s to {d['endpoints']} local endpoints)",
        "",
        f"Measured {results['date']} with `{results['command']}`, code at commit "
        f"{results.get('commit', 'unknown')}.",
        "",
        f"A fresh SQLite file holding {d['events']:,} events, each pending for {d['endpoints']} endpoints "
        f"({d['deliveries']:,} deliveries, made through the driver), then the service started by "
        "uvicorn as a user starts it, default delivery settings, no writes. Receivers in another "
        "process; the rate is deliveries over the span from the first arrival to the last. "
        "Baseline: the bare app POSTing as many bodies of the same size with a plain httpx client, "
        f"{s['endpoint_in_flight']} in flight per endpoint as the service's "
        "`NEXTDESK_WEBHOOK_ENDPOINT_IN_FLIGHT`, no database, no signing.",
        "",
        "| figure | service | bare sender | ratio | goal met |",
        "|---|---|---|---|---|",
        f"| deliveries/s | {_num(s['per_second'])} | {_num(b['per_second'])} | {_ratio(d['ratio'])} | "
        f"{_met(d['goal_met'])} |",
        f"| seconds for all | {s['seconds']:.1f} s | {b['seconds']:.1f} s | | |",
        f"| missing | {s['missing']} | {b['missing']} | | |",
        "",
        f"The service used {s['service_cpu_seconds']:.1f} s of CPU for it, "
        f"{s['cpu_ms_per_delivery']:.2f} ms a delivery"
        + (
            f" (the receivers, in their own process, {s['receivers_cpu_seconds']:.1f} s)"
            if s.get("receivers_cpu_seconds") is not None
            else ""
        )
        + f"; the machine's load average was {d['load_average']:.1f} on {d['cores']} cores.",
        "",
        *_drain_postgres(d),
        DRAIN_END,
    ]
    return "\n".join(lines) + "\n"


def _drain_postgres(d: dict[str, Any]) -> list[str]:
    """The same backlog drained from PostgreSQL by 1, 2, ... workers sharing the outbox."""
    rows = d.get("postgres") or []
    if not rows:
        why = d.get("postgres_not_measured")
        return [f"PostgreSQL: not measured ({why}).", ""] if why else []
    one = rows[0]["per_second"] if rows[0]["workers"] == 1 else None
    lines = [
        "The same backlog from a fresh PostgreSQL database, drained by N uvicorn workers of the service "
        "(each with its own dispatcher, claiming with `FOR UPDATE SKIP LOCKED`); the CPU is the "
        "workers' summed, PostgreSQL's own not counted:",
        "",
        "| workers | deliveries/s | x one worker | seconds for all | missing | CPU per delivery "
        "| load average |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        times = _ratio(r["per_second"] / one) if one else "-"
        cpu = f"{r['cpu_ms_per_delivery']:.2f} ms" if r.get("cpu_ms_per_delivery") is not None else "-"
        lines.append(
            f"| {r['workers']} | {_num(r['per_second'])} | {times} | {r['seconds']:.1f} s | {r['missing']} | "
            f"{cpu} | {r['load_average']:.1f} |"
        )
    return [*lines, ""]


def write_drain(path: Path, results: dict[str, Any]) -> None:
    block = render_drain(results)
    text = path.read_text() if path.exists() else TITLE
    if DRAIN_BEGIN in text and DRAIN_END in text:
        head, rest = text.split(DRAIN_BEGIN, 1)
        text = head + block.rstrip("\n") + rest.split(DRAIN_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)
