from __future__ import annotations

import difflib
import ipaddress
from collections.abc import Mapping
from datetime import timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.domain.webhooks import DEFAULT_SCHEDULE, parse_schedule

#: What SQLAlchemy may be asked to open: SQLite and PostgreSQL (psycopg 3), as people write them.
_DRIVERS = {"sqlite", "sqlite+pysqlite", "postgres", "postgresql", "postgresql+psycopg"}


class Settings(BaseSettings):
    """Every knob the operator has, read from the environment (prefix ``NEXTDESK_``) or ``.env``."""

    model_config = SettingsConfigDict(env_prefix="NEXTDESK_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./nextdesk.db"
    bootstrap_admin_key: SecretStr | None = None
    allow_private_webhook_targets: bool = False

    # Customer-facing dates are written in the business's own time zone.
    display_timezone: str = "Asia/Jakarta"
    public_source: str = "/nextdesk"

    # What makes a revision significant enough for the desk's "to tell" queue.
    significant_eta_minutes: int = Field(default=120, ge=0)
    significant_cost_percent: float = Field(default=5.0, ge=0)
    # Finished stages needed before learned durations replace the plan.
    learned_min_samples: int = Field(default=20, ge=1)

    #: How long a key, once read, is trusted without reading it again. Its expiry counts at once,
    #: and so does a revocation made through this process's API; one made elsewhere (another
    #: replica, `nextdesk keys revoke`) counts within this. 0: read the key on every request.
    key_cache_seconds: float = Field(default=2.0, ge=0, le=300)

    # Group commit: how many queued writes one transaction may carry.
    writer_max_batch: int = Field(default=64, ge=1, le=10_000)
    #: Where the writer runs its batches: "inline" on the event loop, "thread", or "auto": inline
    #: where the database answers within this machine (SQLite; PostgreSQL over loopback or a Unix
    #: socket), a thread where each round trip crosses a network and would stall the event loop.
    writer_mode: Literal["auto", "inline", "thread"] = "auto"
    #: The repositories' fixed statements compiled once and run on the driver's cursor; false runs
    #: them through SQLAlchemy's session instead (what the bench compares, bench/RESULTS.md).
    prepared_statements: bool = True
    sqlite_synchronous: str = "NORMAL"
    #: Checkpoint the WAL from a background thread instead of inside COMMITs.
    sqlite_background_checkpoint: bool = True
    #: Freeze start-up objects and make the garbage collector run less often (p99 latency).
    gc_tuning: bool = True

    sweep_interval_seconds: float = Field(default=30.0, gt=0)
    dispatcher_enabled: bool = True
    sweeper_enabled: bool = True

    # Outbound webhooks: how long one attempt may take, how often the outbox is polled for work
    # committed by other replicas, how long a claim lasts before another dispatcher may take it over.
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_lease_seconds: float = Field(default=60.0, gt=0)
    webhook_max_in_flight: int = Field(default=64, ge=1, le=1000)
    #: Deliveries in flight to one endpoint at once (each over its own kept-alive connection);
    #: an endpoint that asks for event order, or that is failing, gets one at a time.
    webhook_endpoint_in_flight: int = Field(default=8, ge=1, le=100)
    webhook_disable_after_days: float = Field(default=5.0, gt=0)
    webhook_rotation_overlap_hours: float = Field(default=24.0, ge=0, le=720)
    #: Each delivery's retries after its first failed attempt; then it is marked failed.
    webhook_retry_schedule: str = DEFAULT_SCHEDULE
    #: While an endpoint fails, how often one delivery probes it during the first hour.
    webhook_probe_seconds: float = Field(default=10.0, ge=1, le=600)

    sse_ping_seconds: float = Field(default=15.0, gt=0)
    sse_max_lifetime_seconds: float = Field(default=3600.0, gt=0)
    # A subscriber this many events behind is dropped and resumes with Last-Event-ID.
    sse_queue_size: int = Field(default=1000, ge=1)
    # The reconnection delay the stream asks clients to use.
    sse_retry_ms: int = Field(default=2000, ge=0)
    # Pause before a lost PostgreSQL LISTEN connection is reopened.
    event_listener_retry_seconds: float = Field(default=1.0, gt=0)

    #: The largest request body read, in bytes; a larger one is refused with 413 before it is parsed.
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=1_073_741_824)
    #: The largest CSV file `POST /v1/orders/import` reads (a larger one: 413), and the most orders in it.
    import_max_bytes: int = Field(default=10_485_760, ge=1024, le=1_073_741_824)
    import_max_rows: int = Field(default=20_000, ge=1, le=1_000_000)
    # Retention: nothing grows without bound unless the operator asks it to.
    #: Idempotency records (compact replays of first answers) are kept this long.
    retain_idempotency_hours: float = Field(default=24.0, gt=0)
    #: Finished webhook deliveries (delivered, failed, held) and their attempts are kept this long.
    retain_deliveries_days: float = Field(default=30.0, gt=0)
    #: Events are the audit trail: kept for ever unless set, then only those of orders closed
    #: (done or cancelled) for longer than this are removed.
    retain_events_days: float | None = Field(default=None, gt=0)
    #: The pruner deletes at most this many rows per transaction, so writes never wait long on it.
    prune_batch_size: int = Field(default=200, ge=1, le=10_000)
    #: How often the background pruner looks for what has outlived its retention.
    prune_interval_seconds: float = Field(default=300.0, gt=0)
    pruner_enabled: bool = True

    session_secret: SecretStr | None = None
    cookie_secure: bool = True
    log_json: bool = True
    log_requests: bool = True
    #: The least severe of nextdesk's own log records that are written.
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @field_validator("bootstrap_admin_key", mode="before")
    @classmethod
    def _long_enough(cls, value: object) -> object:
        # Keys are stored as a fast hash, which is safe only for long random secrets.
        if value in ("", None):
            return None
        secret = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if len(secret) < 32:
            raise ValueError("NEXTDESK_BOOTSTRAP_ADMIN_KEY must be at least 32 characters of random text")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        # Checked here so that a typo stops start-up with one line, not a driver's traceback.
        allowed = "use sqlite:///path/to/file.db or postgresql://user:password@host:5432/database"
        try:
            driver = make_url(value).drivername
        except ArgumentError:
            raise ValueError(f"not a database URL; {allowed}") from None
        if driver not in _DRIVERS:
            raise ValueError(f"{driver!r} is not a database nextdesk runs on; {allowed}")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_case(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("webhook_retry_schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @field_validator("display_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Asia/Jakarta") from exc
        return value

    @field_validator("sqlite_synchronous")
    @classmethod
    def _sync_mode(cls, value: str) -> str:
        allowed = {"OFF", "NORMAL", "FULL", "EXTRA"}
        if value.upper() not in allowed:
            raise ValueError(f"sqlite_synchronous must be one of {sorted(allowed)}")
        return value.upper()

    @property
    def retry_schedule(self) -> tuple[timedelta, ...]:
        return parse_schedule(self.webhook_retry_schedule)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def writer_inline(self) -> bool:
        """Whether the writer runs its batches on the event loop (``writer_mode``)."""
        if self.writer_mode != "auto":
            return self.writer_mode == "inline"
        # A thread hands the GIL back and forth with the event loop at every round trip; that
        # costs more than a local round trip blocks the loop (bench/RESULTS.md).
        return self.is_sqlite or _local_host(make_url(self.database_url).host)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.display_timezone)


def _local_host(host: str | None) -> bool:
    """A Unix socket (no host) or a loopback address."""
    if host is None or host == "" or host.startswith("/") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@lru_cache
def get_settings() -> Settings:
    return Settings()


#: Settings whose values are never echoed back: they are, or may carry, secrets.
_SECRET_SETTINGS = {"bootstrap_admin_key", "session_secret", "database_url"}


def misspelt_settings(environ: Mapping[str, str]) -> list[str]:
    """One line per NEXTDESK_ variable that is not a setting but looks like one.

    The environment is read by name, so a misspelt variable would be ignored without a word and
    the service would start on the default it was meant to replace (a SQLite file instead of the
    PostgreSQL named in NEXTDESK_DATABSE_URL, say). Only near misses are named: other tools of the
    project (its dev script, tests and benchmarks) keep variables of their own under the prefix.
    """
    prefix = str(Settings.model_config.get("env_prefix", "")).upper()
    known = [f"{prefix}{field}".upper() for field in Settings.model_fields]
    lines = []
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith(prefix) or upper in known:
            continue
        close = difflib.get_close_matches(upper, known, n=1, cutoff=0.85)
        if close:
            lines.append(f"nextdesk: {name} is not a setting and is ignored; did you mean {close[0]}?")
    return lines


def settings_problems(exc: ValidationError) -> list[str]:
    """One line per bad setting, naming its environment variable and what it may be."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "?"
        name = f"{Settings.model_config.get('env_prefix', '')}{field}".upper()
        message = str(error["msg"]).removeprefix("Value error, ")
        given = "" if field in _SECRET_SETTINGS else f" (got {error.get('input')!r})"
        lines.append(f"nextdesk: bad setting {name}{given}: {message}")
    return lines
