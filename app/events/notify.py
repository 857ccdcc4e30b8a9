"""Cross-replica wake-up: PostgreSQL NOTIFY from the writing transaction.

The notification only says "the log grew to id N"; listeners read the log itself, so a lost or
merged notification costs latency, never an event. NOTIFY is transactional: PostgreSQL delivers
it when the transaction commits and drops it when it rolls back.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.repositories import event_log

CHANNEL = "nextdesk_events"


def notify_appended(session: Session, last_id: int) -> None:
    event_log.notify(session, CHANNEL, str(last_id))


def parse_payload(payload: str) -> int | None:
    """The last event id a notification announces; anything else is only a wake-up."""
    try:
        return int(payload)
    except ValueError:
        return None


def libpq_conninfo(database_url: str) -> str:
    """psycopg wants a plain ``postgresql://`` URL, not SQLAlchemy's ``postgresql+psycopg://``."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
