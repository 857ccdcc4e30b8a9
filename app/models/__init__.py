"""SQLModel tables and the API's request/response schemas.

Importing this package registers every table on the shared metadata (Alembic reads it).
"""

from app.models import access, event, flow, idempotency, ledger, order, stats  # noqa: F401
from app.models.base import metadata

__all__ = ["metadata"]
