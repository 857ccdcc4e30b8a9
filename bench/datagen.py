"""Bulk data for the benchmarks, written straight through the database driver.

The API would take hours to make a million orders; executemany (SQLite) and COPY (PostgreSQL)
take a minute or two. Secondary indexes are dropped for the load and rebuilt afterwards from
their own definitions in the catalogue, which is several times faster than keeping them
current row by row. The rows follow the default ``standard`` flow (assembly -> finance ->
shipping) and are consistent with it, so the API serves them as if it had made them.

Two kinds of order are made:
- ``hot`` orders ``W-0 .. W-{hot-1}``: open, assembly in progress, for the write scenarios
  (a stage update may move them between in_progress and blocked forever);
- the rest ``BO-0 ..``: a mix of open, at risk, done and cancelled, for the reads.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy.engine import make_url

HOT_PREFIX = "W-"
MIX_PREFIX = "BO-"
CHUNK = 20_000
TABLES = ("orders", "order_stage", "event")
#: The standard flow's stages: key (also the department), name, planned minutes, depends_on.
STAGES: tuple[tuple[str, str, int, str], ...] = (
    ("assembly", "Assembly", 480, "[]"),
    ("finance", "Finance", 120, '["assembly"]'),
    ("shipping", "Shipping", 1440, '["finance"]'),
)
CUSTOMERS = ("Toko Maju", "Sinar Jaya", "Berkah Abadi", "Karya Mandiri", "Sumber Rejeki", "Cahaya Baru")
EVENT_CYCLE = (
    ("order.created", None),
    ("stage.ready", "assembly"),
    ("stage.started", "assembly"),
    ("estimate.revised", "assembly"),
    ("stage.blocked", "assembly"),
    ("stage.resumed", "assembly"),
    ("cost.revised", "assembly"),
    ("order.updated", "assembly"),
)

# Column order of each table, as the initial migration creates them.
ORDER_COLUMNS = (
    "id, reference, flow_key, customer_name, customer_contact, promised_at, currency, quoted_amount, "
    "estimated_amount, actual_amount, state, at_risk, eta_likely_at, eta_latest_at, eta_basis, "
    "cancel_reason, version, created_at, updated_at"
)
STAGE_COLUMNS = (
    "id, order_id, key, name, department, position, depends_on, status, planned_minutes, planned_amount, "
    "estimate_amount, actual_amount, expected_finish_at, next_update_by, ready_at, started_at, "
    "finished_at, reason, assignee, internal_note, customer_note, last_update_at, overdue_for, updated_at"
)
EVENT_COLUMNS = "id, type, subject, order_id, department, at_risk, time, data"

Row = tuple[object, ...]


@dataclass(frozen=True)
class DataSpec:
    orders: int
    events: int
    hot: int = 0
    #: Orders are placed around this moment: promises in the future, stages started before it.
    now: datetime = datetime.now(UTC)


@dataclass(frozen=True)
class LoadReport:
    orders: int
    stages: int
    events: int
    seconds: float


def reference(index: int, hot: int) -> str:
    return f"{HOT_PREFIX}{index}" if index < hot else f"{MIX_PREFIX}{index - hot}"


class _Clock:
    """Timestamps rendered once: formatting millions of datetimes would dominate the load."""

    def __init__(self, now: datetime, sqlite: bool) -> None:
        fmt = "%Y-%m-%d %H:%M:%S.%f" if sqlite else "%Y-%m-%d %H:%M:%S.%f+00"
        at = {
            "created": now - timedelta(days=2),
            "started": now - timedelta(hours=1),
            "past": now - timedelta(days=1),
            "risk_promise": now + timedelta(days=1),
            "risk_finish": now + timedelta(days=2),
            "risk_eta": now + timedelta(days=3),
            "promise": now + timedelta(days=10),
            "eta": now + timedelta(hours=33),
            "eta_latest": now + timedelta(hours=50),
        }
        self.text = {k: v.astimezone(UTC).strftime(fmt) for k, v in at.items()}

    def __getitem__(self, key: str) -> str:
        return self.text[key]


def _profile(index: int, hot: int) -> str:
    if index < hot:
        return "open"
    n = index - hot
    if n % 20 == 19:
        return "done"
    if n % 50 == 7:
        return "cancelled"
    if n % 10 == 3:
        return "at_risk"
    return "open"


def _order_rows(spec: DataSpec, t: _Clock, sqlite: bool) -> Iterator[tuple[Row, list[Row]]]:
    yes, no = (1, 0) if sqlite else ("t", "f")
    stage_id = 0
    for index in range(spec.orders):
        order_id = index + 1
        profile = _profile(index, spec.hot)
        ref = reference(index, spec.hot)
        customer = f"{CUSTOMERS[index % len(CUSTOMERS)]} {index % 997}"
        promise = t["risk_promise"] if profile == "at_risk" else t["promise"]
        eta = t["risk_eta"] if profile == "at_risk" else t["eta"]
        closed = profile in ("done", "cancelled")
        order = (
            order_id, ref, "standard", customer, "+62 21 555 0100", promise, "IDR", "1250000.00",
            "1250000.00", "0.00", profile, yes if profile == "at_risk" else no,
            None if profile == "cancelled" else eta, None if profile == "cancelled" else t["eta_latest"],
            "actual" if closed else "plan", "customer asked" if profile == "cancelled" else None,
            4 if closed else 2, t["created"], t["started"],
        )  # fmt: skip
        stages: list[Row] = []
        for position, (key, name, minutes, depends) in enumerate(STAGES):
            stage_id += 1
            status, reason, finish = "pending", None, None
            ready = started = finished = None
            if profile == "done":
                status, ready, started, finished = "done", t["past"], t["past"], t["past"]
            elif profile == "cancelled":
                status, finished = "cancelled", t["started"]
            elif position == 0:
                status, ready, started = "in_progress", t["created"], t["started"]
                if profile == "at_risk":
                    status, reason, finish = "blocked", "waiting_parts", t["risk_finish"]
            stages.append(
                (
                    stage_id,
                    order_id,
                    key,
                    name,
                    key,
                    position,
                    depends,
                    status,
                    minutes,
                    None,
                    None,
                    None,
                    finish,
                    None,
                    ready,
                    started,
                    finished,
                    reason,
                    None,
                    None,
                    None,
                    started,
                    None,
                    t["started"],
                )  # fmt: skip
            )
        yield order, stages


def _event_rows(spec: DataSpec, t: _Clock, sqlite: bool) -> Iterator[Row]:
    """``events`` events spread evenly over the orders, numbered 1..events like the log does."""
    no = 0 if sqlite else "f"
    per_order = max(1, spec.events // max(1, spec.orders))
    event_id = 0
    for index in range(spec.orders):
        ref = reference(index, spec.hot)
        for k in range(per_order):
            if event_id >= spec.events:
                return
            event_id += 1
            kind, department = EVENT_CYCLE[k % len(EVENT_CYCLE)]
            data = (
                f'{{"order": "{ref}", "actor": "key:bench", "stage": '
                f'{json.dumps(department)}, "order_version": {k + 1}, "at_risk": false}}'
            )
            yield (event_id, kind, ref, index + 1, department, no, t["started"], data)
    # Any remainder goes to the first order, so exactly ``events`` rows exist.
    while event_id < spec.events:
        event_id += 1
        yield (event_id, "order.updated", reference(0, spec.hot), 1, None, no, t["started"], "{}")


def _chunks(rows: Iterator[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _split(pairs: Iterator[tuple[Row, list[Row]]]) -> Iterator[tuple[list[Row], list[Row]]]:
    orders: list[Row] = []
    stages: list[Row] = []
    for order, order_stages in pairs:
        orders.append(order)
        stages.extend(order_stages)
        if len(orders) >= CHUNK:
            yield orders, stages
            orders, stages = [], []
    if orders:
        yield orders, stages


def populate(url: str, spec: DataSpec) -> LoadReport:
    """Fill a freshly migrated, empty database (SQLAlchemy URL) with ``spec``'s rows."""
    started = time.perf_counter()
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        _populate_sqlite(make_url(url).database or "", spec)
    elif backend == "postgresql":
        _populate_postgres(url, spec)
    else:
        raise ValueError(f"cannot bulk-load a {backend} database")
    stages = spec.orders * len(STAGES)
    return LoadReport(spec.orders, stages, spec.events, time.perf_counter() - started)


def _placeholders(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


def _populate_sqlite(path: str, spec: DataSpec) -> None:
    t = _Clock(spec.now, sqlite=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # The loader owns the file for the moment: no journal (a WAL would hold every page twice),
        # no fsync, a large cache, one transaction. The service turns WAL back on when it connects.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join(repr(n) for n in TABLES)})"
        ).fetchall()
        conn.execute("BEGIN")
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for orders, stages in _split(_order_rows(spec, t, sqlite=True)):
            conn.executemany(
                f"INSERT INTO orders ({ORDER_COLUMNS}) VALUES ({_placeholders(ORDER_COLUMNS)})", orders
            )
            conn.executemany(
                f"INSERT INTO order_stage ({STAGE_COLUMNS}) VALUES ({_placeholders(STAGE_COLUMNS)})", stages
            )
        for chunk in _chunks(_event_rows(spec, t, sqlite=True)):
            conn.executemany(
                f"INSERT INTO event ({EVENT_COLUMNS}) VALUES ({_placeholders(EVENT_COLUMNS)})", chunk
            )
        conn.execute("UPDATE event_counter SET last_id = ? WHERE id = 1", (spec.events,))
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()


def _copy_text(rows: list[Row]) -> bytes:
    # COPY's text format: tab-separated, \N for NULL. The generated values hold no tab,
    # newline or backslash, so no escaping is needed.
    return "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n" for row in rows).encode()


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _populate_postgres(url: str, spec: DataSpec) -> None:
    t = _Clock(spec.now, sqlite=False)
    with psycopg.connect(libpq_url(url)) as conn:
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            (list(TABLES),),
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("SET LOCAL synchronous_commit = off")
        with conn.cursor() as cursor:
            with cursor.copy(f"COPY orders ({ORDER_COLUMNS}) FROM STDIN") as orders_copy:
                for orders, _stages in _split(_order_rows(spec, t, sqlite=False)):
                    orders_copy.write(_copy_text(orders))
            with cursor.copy(f"COPY order_stage ({STAGE_COLUMNS}) FROM STDIN") as stage_copy:
                for _orders, stages in _split(_order_rows(spec, t, sqlite=False)):
                    stage_copy.write(_copy_text(stages))
            with cursor.copy(f"COPY event ({EVENT_COLUMNS}) FROM STDIN") as event_copy:
                for chunk in _chunks(_event_rows(spec, t, sqlite=False)):
                    event_copy.write(_copy_text(chunk))
        conn.execute("UPDATE event_counter SET last_id = %s WHERE id = 1", (spec.events,))
        for _, sql in indexes:
            conn.execute(sql)
        # Explicit ids were copied in: move the sequences past them, as inserts through the API need.
        for table in ("orders", "order_stage"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        conn.commit()
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
