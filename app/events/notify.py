"""Cross-replica wake-up: PostgreSQL NOTIFY from the writing transaction.

The notification only says "the log grew to id N"; listeners read the log itself, so a lost or
merged notification costs latency, never an event. NOTIFY is transactional: PostgreSQL delivers
it when the transaction commits and drops it when it rolls back.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.prepared import driver_of, prepared

CHANNEL = "nextdesk_events"

_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


def notify_appended(session: Session, last_id: int) -> None:
    driver, dialect = driver_of(session)
    if dialect.name == "postgresql":
        prepared(_NOTIFY, dialect).write(driver, {"channel": CHANNEL, "payload": str(last_id)})


def parse_payload(payload: str) -> int | None:
    """The last event id a notification announces; anything else is only a wake-up."""
    try:
        return int(payload)
    except ValueError:
        return None


def libpq_conninfo(database_url: str) -> str:
    """psycopg wants a plain ``postgresql://`` URL, not SQLAlchemy's ``postgresql+psycopg://``."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
