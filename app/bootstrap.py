"""What happens before the service answers: migrate, seed the first admin key, say how to begin."""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from app.clock import Clock
from app.db import Database, make_engine
from app.migrate import upgrade_to_head
from app.models.access import ApiKey, ApiKeyCreate, Role
from app.services.keys import count_keys, create_key, hash_secret
from app.services.writer import run_use_case

log = logging.getLogger("nextdesk")


def migrate(db: Database) -> None:
    engine = make_engine(db.settings, writer=True, pool=False)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()


def ensure_bootstrap_admin(db: Database, clock: Clock) -> str | None:
    """Accept NEXTDESK_BOOTSTRAP_ADMIN_KEY as an admin key; return advice when no key exists at all."""
    secret = db.settings.bootstrap_admin_key
    if secret is not None:
        value = secret.get_secret_value()

        def seed(session: Session) -> None:
            if (
                session.exec(select(ApiKey.id).where(ApiKey.secret_hash == hash_secret(value))).first()
                is None
            ):
                create_key(
                    session, ApiKeyCreate(name="bootstrap admin", role=Role.ADMIN), clock.now(), secret=value
                )

        run_use_case(db, seed)
        return None
    with db.read_session() as session:
        if count_keys(session) == 0:
            return (
                "No API keys exist yet. Create the first admin key with:\n"
                '    nextdesk keys create --role admin --name "your name"\n'
                "or start with NEXTDESK_BOOTSTRAP_ADMIN_KEY=<a long random secret>, or with --demo."
            )
    return None
