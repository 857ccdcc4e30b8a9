"""Who may do what: pure rules over a principal, independent of how it was authenticated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from app.domain.errors import Forbidden

ROLES = ("admin", "agent", "technician", "integration", "viewer")


@dataclass(frozen=True)
class Principal:
    key_id: str
    name: str
    role: str
    departments: frozenset[str] = field(default_factory=frozenset)
    #: For integrations: stage keys it may update besides whole departments.
    stages: frozenset[str] = field(default_factory=frozenset)

    @property
    def actor(self) -> str:
        """``key:<id>`` for API keys; inbound integrations carry ``integration:<name>`` as their id."""
        return self.key_id if ":" in self.key_id else f"key:{self.key_id}"

    def describe(self) -> dict[str, str]:
        return {"actor": self.actor, "actor_name": self.name, "actor_role": self.role}


class KeyState(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


def key_state(revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> KeyState:
    """Whether an API key may be used now.

    Revocation is not compared with the clock: it takes effect at once, even on a replica whose
    clock lags the one that revoked it. Expiry is a moment the key's owner chose, so it is.
    """
    if revoked_at is not None:
        return KeyState.REVOKED
    if expires_at is not None and expires_at <= now:
        return KeyState.EXPIRED
    return KeyState.ACTIVE


def key_usable(revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    return key_state(revoked_at, expires_at, now) is KeyState.ACTIVE


SYSTEM = Principal(key_id="system", name="nextdesk", role="admin")


def require_role(principal: Principal, *roles: str) -> None:
    """Admins may do anything; everybody else needs one of ``roles``."""
    if principal.role == "admin" or principal.role in roles:
        return
    needed = " or ".join(("admin", *roles)) if roles else "admin"
    raise Forbidden(
        f"this needs the role {needed}; your key '{principal.name}' has the role {principal.role}",
        required_roles=sorted({"admin", *roles}),
    )


def require_stage_access(principal: Principal, *, department: str, stage_key: str) -> None:
    """Technicians and integrations may move only the stages of their own departments."""
    if principal.role == "admin":
        return
    if principal.role in ("technician", "integration"):
        if department in principal.departments or stage_key in principal.stages:
            return
        raise Forbidden(
            f"stage '{stage_key}' belongs to the department '{department}'; your key '{principal.name}' "
            f"may update stages of: {', '.join(sorted(principal.departments | principal.stages)) or 'none'}",
            required_department=department,
        )
    raise Forbidden(
        f"stage updates need a technician of the department '{department}', an integration or an admin; "
        f"your key '{principal.name}' has the role {principal.role}",
        required_roles=["admin", "integration", "technician"],
        required_department=department,
    )
