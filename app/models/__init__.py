"""SQLModel tables and the API's request/response schemas.

Importing this package registers every table on the shared metadata (Alembic reads it).
"""

from app.models import (  # noqa: F401
    access,
    calendar,
    desk,
    event,
    flow,
    idempotency,
    integration,
    ledger,
    order,
    requests,
    stats,
    webhook,
)
from app.models.base import metadata

__all__ = ["metadata"]
