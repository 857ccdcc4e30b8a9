"""working calendars: `default` (office hours in Jakarta, holidays of ID) and `always`

Learned durations stored so far are wall-clock minutes from ready to done, which is what a
stage on the plain clock (`always`, where stages naming no calendar stay) measures: they are
kept as they are. A stage later put on another calendar relearns (see app/services/calendars.py).

Revision ID: 0006_calendars
Revises: 0005_told
Create Date: 2026-12-02 02:30:00
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006_calendars"
down_revision: str | Sequence[str] | None = "0005_told"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORKDAY = [{"start": "08:00", "end": "17:00"}]
DEFAULT = {
    "timezone": "Asia/Jakarta",
    "week": {**{d: WORKDAY for d in ("mon", "tue", "wed", "thu", "fri")}, "sat": [{"start": "08:00", "end": "12:00"}]},
    "holidays": "ID",
    "holiday_subdivision": None,
    "closed_dates": [],
    "open_dates": [],
    "departments": [],
}
ALWAYS = {
    "timezone": "Asia/Jakarta",
    "week": {d: [{"start": "00:00", "end": "24:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    "holidays": None,
    "holiday_subdivision": None,
    "closed_dates": [],
    "open_dates": [],
    "departments": [],
}


def upgrade() -> None:
    calendar = op.create_table(
        "calendar",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_calendar"),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        calendar,
        [
            {"key": "default", "name": "Office hours, Jakarta", "definition": DEFAULT, "created_at": now, "updated_at": now},
            {"key": "always", "name": "Round the clock", "definition": ALWAYS, "created_at": now, "updated_at": now},
        ],
    )


def downgrade() -> None:
    op.drop_table("calendar")
