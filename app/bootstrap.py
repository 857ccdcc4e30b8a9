"""What happens before the service answers: migrate, seed the first admin key, load the desk's
session secret, say how to begin."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.clock import Clock
from app.config import Settings
from app.db import Database, make_engine
from app.migrate import upgrade_to_head
from app.models.access import ApiKeyCreate, Role
from app.models.desk import AppSecret
from app.services.keys import count_keys, ensure_key
from app.writer import run_use_case

log = logging.getLogger("nextdesk")

#: The stored secret that signs the desk's session cookies.
SESSION_SECRET_NAME = "desk_session"


def migrate(db: Database) -> None:
    engine = make_engine(db.settings, writer=True, pool=False)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()


def ensure_bootstrap_admin(db: Database, clock: Clock, command: str = "nextdesk") -> str | None:
    """Accept NEXTDESK_BOOTSTRAP_ADMIN_KEY as an admin key; return advice when no key exists at all.

    ``command`` is how the reader runs nextdesk (``./dev nextdesk`` in a clone of the repository).
    """
    secret = db.settings.bootstrap_admin_key
    if secret is not None:
        value = secret.get_secret_value()

        def seed(session: Session) -> None:
            body = ApiKeyCreate(name="bootstrap admin", role=Role.ADMIN)
            ensure_key(session, body, clock.now(), secret=value)

        run_use_case(db, seed)
        return None
    with db.read_session() as session:
        if count_keys(session) == 0:
            return (
                "No API keys exist yet. Create the first admin key with:\n"
                f'    {command} keys create --role admin --name "your name"\n'
                "or start with NEXTDESK_BOOTSTRAP_ADMIN_KEY=<a long random secret>, or with --demo."
            )
    return None


def _stored_secret(session: Session) -> str | None:
    row = session.get(AppSecret, SESSION_SECRET_NAME)
    return None if row is None else row.value


def ensure_session_secret(db: Database, settings: Settings, now: datetime) -> str:
    """The configured secret, or the one stored in the database (made on first start).

    Every replica reads the same row, so a cookie signed by one is accepted by all.
    """
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    with db.read_session() as session:
        existing = _stored_secret(session)
    if existing is not None:
        return existing

    def create(session: Session) -> None:
        session.add(AppSecret(name=SESSION_SECRET_NAME, value=secrets.token_urlsafe(48), created_at=now))

    try:
        run_use_case(db, create)
    except IntegrityError:
        pass  # another replica made it first; use theirs
    with db.read_session() as session:
        stored = _stored_secret(session)
    assert stored is not None, "the session secret was just stored"
    return stored
