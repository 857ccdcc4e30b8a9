"""The `nextdesk` command: serve, migrate, keys, prune, simulate, bench."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from app.clock import SystemClock
from app.config import get_settings
from app.db import Database

cli = typer.Typer(help="nextdesk: back-office stages, pushed to the front-line desk.", no_args_is_help=True)
keys_cli = typer.Typer(
    help="Create, list and revoke API keys against the configured database.", no_args_is_help=True
)
cli.add_typer(keys_cli, name="keys")


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

    db = _database()
    if demo:
        from app.demo import load_demo

        keys = load_demo(db, SystemClock())
        print("Demo data loaded. One key per role (demo only; never use these in production):")
        for role, secret in keys.items():
            print(f"  {role:<12} {secret}")
        print(f"Desk: http://{host}:{port}/desk   API docs: http://{host}:{port}/docs")
    advice = ensure_bootstrap_admin(db, SystemClock())
    if advice:
        print(advice)
    db.dispose()
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


@keys_cli.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="admin, agent, technician, integration or viewer")],
    name: Annotated[str, typer.Option(help='Who or what holds the key, e.g. "Budi, assembly line 2"')],
    department: Annotated[list[str] | None, typer.Option(help="A department (repeat for several)")] = None,
    expires: Annotated[str | None, typer.Option(help="Expiry, ISO 8601 with a zone")] = None,
) -> None:
    """Create a key; its secret is printed once and never again."""
    from pydantic import ValidationError

    from app.domain.errors import DomainError
    from app.models.access import ApiKeyCreate
    from app.services.keys import create_key
    from app.writer import run_use_case

    try:
        body = ApiKeyCreate.model_validate(
            {"name": name, "role": role, "departments": department or [], "expires_at": expires}
        )
    except ValidationError as exc:
        raise typer.BadParameter("; ".join(e["msg"] for e in exc.errors())) from exc
    db = _database()
    try:
        created, _ = run_use_case(db, lambda session: create_key(session, body, datetime.now(UTC)))
    except DomainError as exc:
        raise typer.BadParameter(exc.detail) from exc
    finally:
        db.dispose()
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
    """Revoke a key; it stops working at once."""
    from app.domain.errors import DomainError
    from app.services.keys import revoke_key
    from app.writer import run_use_case

    db = _database()
    try:
        revoked, _ = run_use_case(db, lambda session: revoke_key(session, key_id, datetime.now(UTC)))
    except DomainError as exc:
        raise typer.BadParameter(exc.detail) from exc
    finally:
        db.dispose()
    print(f"revoked {revoked.id} ({revoked.name})")


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
        typer.Option(min=0, help="Leave the first N orders out of the figures (default: 15% of them)"),
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

    from app.simulate.report import figures, markdown, risk_table, write_section
    from app.simulate.runner import simulate as run_simulation
    from app.simulate.workload import Workload

    began = time.monotonic()
    record = run_simulation(orders, seed)
    skipped = warmup if warmup is not None else orders * 15 // 100
    result = figures(record, skipped)
    risk = risk_table(record, skipped)
    took = time.monotonic() - began
    command = "nextdesk simulate " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "nextdesk simulate"
    section = markdown(
        result,
        command=command,
        workload=Workload().describe(),
        seconds=took,
        when=datetime.now(UTC).strftime("%Y-%m-%d"),
        risk=risk,
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

    from app.config import settings_problems

    try:
        get_settings()
    except ValidationError as exc:
        # A bad setting is the operator's to fix: say which and what it may be, not a traceback.
        for line in settings_problems(exc):
            print(line, file=sys.stderr)
        raise SystemExit(2) from None
    cli()
