"""The `nextdesk` command: serve, migrate, keys, prune, simulate, bench."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from app.clock import SystemClock
from app.config import get_settings
from app.db import Database

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlmodel import Session

T = TypeVar("T")

cli = typer.Typer(help="nextdesk: back-office stages, pushed to the front-line desk.", no_args_is_help=True)
keys_cli = typer.Typer(
    help="Create, list and revoke API keys against the configured database.", no_args_is_help=True
)
cli.add_typer(keys_cli, name="keys")
orders_cli = typer.Typer(
    help="Import and export orders as CSV against the configured database.", no_args_is_help=True
)
cli.add_typer(orders_cli, name="orders")


def _database() -> Database:
    import sys

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from app.bootstrap import migrate

    settings = get_settings()
    url = make_url(settings.database_url)
    if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).expanduser().absolute().parent
        if not folder.is_dir():
            print(
                f"nextdesk: bad setting NEXTDESK_DATABASE_URL: the folder {folder} does not exist; "
                "create it or name a SQLite file in a folder that does",
                file=sys.stderr,
            )
            raise typer.Exit(2)
    db = Database(settings)
    try:
        migrate(db)
    except OperationalError as exc:
        db.dispose()
        # The driver's reason on one line; the URL without its password.
        reason = " ".join(str(exc.orig).split())
        where = url.render_as_string(hide_password=True)
        print(
            f"nextdesk: cannot open the database at NEXTDESK_DATABASE_URL ({where}): {reason}",
            file=sys.stderr,
        )
        raise typer.Exit(1) from None
    return db


def cli_command() -> str:
    """How the reader runs this command: `./dev` sets NEXTDESK_CLI_COMMAND to `./dev nextdesk`."""
    return os.environ.get("NEXTDESK_CLI_COMMAND", "").strip() or "nextdesk"


def serving_banner(
    host: str, port: int, workers: int, demo_keys: dict[str, str], no_key_advice: str | None, command: str
) -> list[str]:
    """What `serve` prints before it listens: where, where the docs and the pages are, and the keys."""
    every_address = host in ("0.0.0.0", "::", "")
    # Listening on every address, the loopback one is the address that surely works from here.
    shown = "127.0.0.1" if every_address else host
    base = f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
    where = f"every address, port {port} ({base} from this machine)" if every_address else base
    each = f" with {workers} workers" if workers > 1 else ""
    lines = [
        f"nextdesk listening on {where}{each}; Ctrl-C stops it",
        f"  API docs   {base}/docs (OpenAPI: {base}/openapi.json)",
        f"  the desk   {base}/desk (agents)",
        f"  workbench  {base}/workbench (technicians)",
    ]
    if demo_keys:
        agent = demo_keys.get("agent", next(iter(demo_keys.values())))
        lines.append(f"  keys       the demo keys above; sign in to the desk with {agent}")
    elif no_key_advice:
        lines.append(no_key_advice)
    else:
        lines.append(
            f'  keys       {command} keys create --role agent --name "..." '
            "(or POST /v1/keys with an admin key)"
        )
    return lines


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    demo: Annotated[bool, typer.Option("--demo", help="Load demo data and print one key per role")] = False,
) -> None:
    """Migrate the database to head, then serve the API."""
    import uvicorn

    from app.bootstrap import ensure_bootstrap_admin
    from app.observability import shared_metrics

    command = cli_command()
    db = _database()
    keys: dict[str, str] = {}
    if demo:
        from app.demo import load_demo

        keys = load_demo(db, SystemClock())
        print("Demo data loaded. One key per role (demo only; never use these in production):")
        for role, secret in keys.items():
            print(f"  {role:<22} {secret}")
    advice = ensure_bootstrap_admin(db, SystemClock(), command)
    for line in serving_banner(host, port, workers, keys, advice, command):
        print(line)
    db.dispose()
    with shared_metrics(workers):
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            proxy_headers=True,
            timeout_graceful_shutdown=5,
            log_level="warning",
            # nextdesk writes its own JSON access log, with the request id.
            access_log=False,
        )


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema to the newest version."""
    db = _database()
    db.dispose()
    print("database is at head")


def _refused_as_bad_parameter(use_case: Callable[[Session, datetime], T]) -> T:
    """Run one change now, in its own connection; what the service refuses is a bad parameter."""
    from app.domain.errors import DomainError
    from app.writer import run_use_case

    db = _database()
    try:
        result, _ = run_use_case(db, lambda session: use_case(session, datetime.now(UTC)))
    except DomainError as exc:
        raise typer.BadParameter(exc.detail) from exc
    finally:
        db.dispose()
    return result


@keys_cli.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="admin, agent, technician, integration or viewer")],
    name: Annotated[str, typer.Option(help='Who or what holds the key, e.g. "Budi, assembly line 2"')],
    department: Annotated[list[str] | None, typer.Option(help="A department (repeat for several)")] = None,
    expires: Annotated[str | None, typer.Option(help="Expiry, ISO 8601 with a zone")] = None,
) -> None:
    """Create a key; its secret is printed once and never again."""
    from pydantic import ValidationError

    from app.models.access import ApiKeyCreate
    from app.services.keys import create_key

    try:
        body = ApiKeyCreate.model_validate(
            {"name": name, "role": role, "departments": department or [], "expires_at": expires}
        )
    except ValidationError as exc:
        raise typer.BadParameter("; ".join(e["msg"] for e in exc.errors())) from exc
    created = _refused_as_bad_parameter(lambda session, now: create_key(session, body, now))
    print(json.dumps(created.model_dump(mode="json"), indent=2))
    print("Keep the secret now: only its hash is stored.")


@keys_cli.command("list")
def keys_list() -> None:
    """List keys (never their secrets)."""
    from app.domain.access import key_state
    from app.services.keys import list_keys

    db = _database()
    now = datetime.now(UTC)
    with db.read_session() as session:
        for key in list_keys(session):
            state = key_state(key.revoked_at, key.expires_at, now).value
            deps = ",".join(key.departments) or "-"
            print(f"{key.id}\t{key.role}\t{deps}\t{state}\t{key.name}")
    db.dispose()


@keys_cli.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id, e.g. key_1a2b3c4d5e6f")]) -> None:
    """Revoke a key; a running service refuses it within NEXTDESK_KEY_CACHE_SECONDS."""
    from app.services.keys import revoke_key

    revoked = _refused_as_bad_parameter(lambda session, now: revoke_key(session, key_id, now))
    print(f"revoked {revoked.id} ({revoked.name})")


@orders_cli.command("import")
def orders_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A CSV file (UTF-8)")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row, create nothing")] = False,
) -> None:
    """Create the file's orders, all of them or none (columns as POST /v1/orders/import takes)."""
    import sys

    from app.domain.access import Principal
    from app.domain.errors import DomainError
    from app.domain.order_csv import NotUtf8, decode, parse_import
    from app.services.order_csv import import_orders
    from app.settings_view import ViewSettings
    from app.writer import run_use_case

    settings = get_settings()
    try:
        text = decode(file.read_bytes())
    except NotUtf8 as exc:
        raise typer.BadParameter(str(exc)) from exc
    parsed = parse_import(text, settings.zone, max_rows=settings.import_max_rows)
    # Events name the command line as the actor, as they name a key or an integration.
    principal = Principal(
        key_id="cli:orders-import", name=f"nextdesk orders import {file.name}", role="admin"
    )
    view = ViewSettings.from_settings(settings)
    db = _database()
    try:
        now = datetime.now(UTC)
        result, _ = run_use_case(
            db, lambda session: import_orders(session, parsed, principal, now, view, dry_run=dry_run)
        )
    except DomainError as exc:
        print(exc.detail.split(". ")[0], file=sys.stderr)
        for error in exc.extra.get("errors", []):
            where = f"line {error['line']}" + (f", {error['column']}" if error["column"] else "")
            print(f"  {where}: {error['msg']}", file=sys.stderr)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    if dry_run:
        print(f"{result.rows} orders checked; nothing created (--dry-run)")
    else:
        print(f"created {result.created} orders")


@orders_cli.command("export")
def orders_export(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here, not to stdout")] = None,
    state: Annotated[
        str | None, typer.Option(help="open, at_risk, late, done, cancelled (comma-separated)")
    ] = None,
    at_risk: Annotated[
        bool | None, typer.Option("--at-risk/--not-at-risk", help="As the desk's queue")
    ] = None,
    department: Annotated[
        str | None, typer.Option(help="Orders with a current stage of this department")
    ] = None,
    q: Annotated[str | None, typer.Option(help="Text in the reference or customer name")] = None,
) -> None:
    """Write the orders the filters select as CSV, newest first (as GET /v1/orders/export)."""
    import sys

    from app.domain.order_csv import export_header
    from app.services.order_csv import export_page
    from app.services.orders import LIST_STATES, OrderFilters

    states = tuple(s.strip() for s in (state or "").split(",") if s.strip())
    unknown = [s for s in states if s not in LIST_STATES]
    if unknown:
        raise typer.BadParameter(f"unknown state {', '.join(unknown)}; allowed: {', '.join(LIST_STATES)}")
    filters = OrderFilters(states, at_risk, department, None, q)
    settings = get_settings()
    db = _database()
    out = output.open("w", encoding="utf-8-sig", newline="") if output else sys.stdout
    try:
        out.write(export_header())
        cursor: str | None = None
        now = datetime.now(UTC)
        while True:
            with db.read_session() as session:
                page, cursor = export_page(session, filters, cursor=cursor, now=now, zone=settings.zone)
            out.write(page)
            if cursor is None:
                break
    finally:
        if output:
            out.close()
        db.dispose()


@cli.command()
def prune() -> None:
    """Remove now what has outlived its retention (the service also does it in the background)."""
    from app.services.retention import Kind, RetentionPolicy, prune_all

    settings = get_settings()
    db = _database()
    try:
        policy = RetentionPolicy.from_settings(settings)
        report = prune_all(db, datetime.now(UTC), policy)
    finally:
        db.dispose()
    removed = report.removed
    print(
        f"removed {removed[Kind.IDEMPOTENCY_RECORDS]} idempotency records "
        f"(older than {settings.retain_idempotency_hours:g} h)"
    )
    print(
        f"removed {removed[Kind.WEBHOOK_DELIVERIES]} webhook deliveries and "
        f"{removed[Kind.WEBHOOK_ATTEMPTS]} attempts "
        f"(finished more than {settings.retain_deliveries_days:g} days ago)"
    )
    if settings.retain_events_days is None:
        print("removed 0 events (kept: NEXTDESK_RETAIN_EVENTS_DAYS is not set)")
    else:
        print(
            f"removed {removed[Kind.EVENTS]} events "
            f"(of orders closed more than {settings.retain_events_days:g} days ago)"
        )


@cli.command()
def simulate(
    orders: Annotated[int, typer.Option(min=1, help="Orders to replay")] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the workload: the same seed gives the same figures")] = 7,
    warmup: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Leave the first N orders out of the figures (default: those arriving in the first "
            "18 days, while the learned history is young; at most 85% of them)",
        ),
    ] = None,
    results: Annotated[
        Path | None, typer.Option(help='Write the figures into this file\'s "## Estimate accuracy" section')
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON here")
    ] = None,
) -> None:
    """Measure the estimates: replay a synthetic workload through the API on a simulated clock."""
    import sys
    import time

    from app.simulate.report import figures, markdown, risk_table, rule_comparison, write_section
    from app.simulate.runner import START
    from app.simulate.runner import simulate as run_simulation
    from app.simulate.workload import Workload, plan_orders, settled_warmup

    began = time.monotonic()
    record = run_simulation(orders, seed)
    if warmup is None:
        warmup = settled_warmup(Workload(), plan_orders(Workload(), orders, START, seed), START)
    skipped = warmup
    result = figures(record, skipped)
    risk = risk_table(record, skipped)
    comparison = rule_comparison(record, skipped)
    took = time.monotonic() - began
    command = "nextdesk simulate " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "nextdesk simulate"
    section = markdown(
        result,
        command=command,
        workload=Workload().describe(),
        seconds=took,
        when=datetime.now(UTC).strftime("%Y-%m-%d"),
        risk=risk,
        comparison=comparison,
    )
    print(section)
    if results is not None:
        write_section(results, section)
        print(f"wrote the section to {results}")
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result.as_dict(), indent=2) + "\n")


@cli.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def bench(ctx: typer.Context) -> None:
    """Run the benchmark harness (bench/ in a clone of the repository; `./dev bench` does the same)."""
    try:
        from bench.__main__ import main as run_bench
    except ImportError as exc:
        raise typer.BadParameter(
            "the benchmark harness lives in bench/ of a clone of the repository: run this from its root"
        ) from exc
    raise typer.Exit(run_bench(list(ctx.args)))


def main() -> None:
    import sys

    from pydantic import ValidationError

    from app.config import misspelt_settings, settings_problems

    try:
        get_settings()
    except ValidationError as exc:
        # A bad setting is the operator's to fix: say which and what it may be, not a traceback.
        for line in settings_problems(exc):
            print(line, file=sys.stderr)
        raise SystemExit(2) from None
    # A near miss is said, not refused: the variable may belong to something else under the prefix.
    for line in misspelt_settings(os.environ):
        print(line, file=sys.stderr)
    cli()
