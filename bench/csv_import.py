"""Scenario: 10,000 orders imported from one CSV file, then exported, through the running service.

The service runs as a user runs it (uvicorn, the app factory) on a fresh database, SQLite and,
with --postgres-url, PostgreSQL. One POST /v1/orders/import carries the whole file (one
transaction); GET /v1/orders/export then streams every order back. Reported: the seconds each
took, and the server process's resident memory before, and its peak (VmHWM) after each step, so
that what the import holds in memory and whether the export stays flat can be read off.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import Any

import httpx

from app.models.access import Role
from bench.context import Context
from bench.databases import insert_key, postgres_database, sqlite_database
from bench.servers import SERVICE_FACTORY, serve

ROWS = 10_000
HEADER = "reference,flow,customer_name,customer_contact,promised_at,quoted_amount,currency\n"
BEGIN = "<!-- bench:csv:begin (written by `./dev bench --scenarios csv`; edit outside these markers) -->"
END = "<!-- bench:csv:end -->"


def csv_file(rows: int) -> bytes:
    lines = (
        f"CSV-{n:06d},standard,Toko {n % 97},+62 21 555 {n % 10_000:04d},2030-01-{1 + n % 28:02d} 12:00,"
        f"{125_000 + n}.00,IDR\n"
        for n in range(rows)
    )
    return (HEADER + "".join(lines)).encode()


def run(ctx: Context) -> dict[str, Any]:
    opts = ctx.options
    body = csv_file(ROWS)
    kinds: list[tuple[str, AbstractContextManager[str]]] = [
        ("SQLite", sqlite_database(opts.workdir, "csv", keep=opts.keep_data))
    ]
    if opts.postgres_url:
        kinds.append(("PostgreSQL", postgres_database(opts.postgres_url, "csv")))
    rows = []
    for label, database in kinds:
        ctx.say(f"csv: {ROWS:,} orders imported and exported, {label}")
        with database as url, ExitStack() as stack:
            agent = insert_key(url, Role.AGENT)
            env = {"NEXTDESK_DATABASE_URL": url}
            server = stack.enter_context(
                serve(SERVICE_FACTORY, env=env, log=opts.workdir / f"service-csv-{label}.log")
            )
            client = stack.enter_context(httpx.Client(base_url=server.url, timeout=600))
            headers = {"Authorization": f"Bearer {agent}"}
            rss_before = server.rss_mb()
            started = time.monotonic()
            answer = client.post(
                "/v1/orders/import", content=body, headers={**headers, "Content-Type": "text/csv"}
            )
            import_seconds = time.monotonic() - started
            if answer.status_code != 201:
                raise RuntimeError(f"the import answered {answer.status_code}: {answer.text[:500]}")
            peak_after_import = server.peak_rss_mb()
            started = time.monotonic()
            exported = 0
            with client.stream("GET", "/v1/orders/export", headers=headers) as streamed:
                for line in streamed.iter_lines():
                    exported += 1 if line.strip() else 0
            export_seconds = time.monotonic() - started
            row = {
                "database": label,
                "rows": ROWS,
                "file_bytes": len(body),
                "import_seconds": import_seconds,
                "export_seconds": export_seconds,
                "exported_rows": exported - 1,
                "rss_before_mb": rss_before,
                "peak_after_import_mb": peak_after_import,
                "peak_after_export_mb": server.peak_rss_mb(),
            }
            ctx.say(
                f"  import {import_seconds:.1f} s, export {export_seconds:.1f} s, "
                f"peak RSS {row['peak_after_export_mb']:.0f} MiB"
            )
            rows.append(row)
    return {"rows": rows}


def render(results: dict[str, Any]) -> str:
    csv = results["csv"]
    lines = [
        BEGIN,
        "## CSV import and export",
        "",
        f"Measured {results['date']} with `{results['command']}`, code at commit {results['commit']}. "
        f"One `POST /v1/orders/import` of {csv['rows'][0]['rows']:,} orders "
        f"({csv['rows'][0]['file_bytes'] / 1024:,.0f} KiB, one transaction), then "
        "`GET /v1/orders/export` of all of them, streamed; the server's resident memory before, and "
        "its peak (VmHWM) after each step.",
        "",
        "| database | import | orders/s | export | exported | RSS before | peak after import | "
        "peak after export |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in csv["rows"]:
        rate = row["rows"] / row["import_seconds"]
        lines.append(
            f"| {row['database']} | {row['import_seconds']:.1f} s | {rate:,.0f} "
            f"| {row['export_seconds']:.1f} s | {row['exported_rows']:,} | {row['rss_before_mb']:.0f} MiB "
            f"| {row['peak_after_import_mb']:.0f} MiB | {row['peak_after_export_mb']:.0f} MiB |"
        )
    lines.append(END)
    return "\n".join(lines) + "\n"


def write(path: Path, results: dict[str, Any]) -> None:
    block = render(results)
    text = path.read_text()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block.rstrip("\n") + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)
