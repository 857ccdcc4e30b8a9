"""Registering the other systems that post updates in: scope, payload mapping, signing secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.db import Session
from app.domain.access import Principal
from app.domain.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.domain.payload_mapping import PayloadMap
from app.domain.webhook_signing import new_secret, rotate, secrets_in_use
from app.models.integration import (
    Integration,
    IntegrationCreate,
    IntegrationPatch,
    IntegrationPublic,
    IntegrationWithSecret,
    PayloadMapping,
    SecretRotation,
    scope_problem,
)
from app.repositories import integrations

INBOUND_PREFIX = "/v1/inbound/"


def public(row: Integration) -> IntegrationPublic:
    return IntegrationPublic(
        name=row.name,
        description=row.description,
        departments=list(row.departments),
        stages=list(row.stages),
        mapping=None if row.mapping is None else PayloadMapping.model_validate(row.mapping),
        enabled=row.enabled,
        inbound_path=INBOUND_PREFIX + row.name,
        previous_secret_expires_at=row.previous_secret_expires_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _with_secret(row: Integration) -> IntegrationWithSecret:
    return IntegrationWithSecret(**public(row).model_dump(), secret=row.secret)


def _get(session: Session, name: str) -> Integration:
    row = session.get(Integration, name)
    if row is None:
        raise NotFound(f"no integration '{name}'")
    return row


def _mapping_json(mapping: PayloadMapping | None) -> dict[str, object] | None:
    return None if mapping is None else mapping.model_dump(mode="json")


def create_integration(session: Session, body: IntegrationCreate, now: datetime) -> IntegrationWithSecret:
    if session.get(Integration, body.name) is not None:
        raise Conflict(f"an integration named '{body.name}' exists; choose another name or PATCH it")
    row = Integration(
        name=body.name,
        description=body.description,
        departments=sorted(set(body.departments)),
        stages=sorted(set(body.stages)),
        mapping=_mapping_json(body.mapping),
        secret=body.secret or new_secret(),
        created_at=now,
        updated_at=now,
    )
    if not integrations.add_integration(session, row):  # registered at the same moment by another process
        raise Conflict(f"an integration named '{body.name}' exists; choose another name")
    return _with_secret(row)


def list_integrations(session: Session) -> list[IntegrationPublic]:
    return [public(r) for r in integrations.all_integrations(session)]


def get_integration(session: Session, name: str) -> IntegrationPublic:
    return public(_get(session, name))


def patch_integration(
    session: Session, name: str, body: IntegrationPatch, now: datetime
) -> IntegrationPublic:
    row = _get(session, name)
    given = body.model_fields_set
    if "description" in given:
        row.description = body.description
    if body.departments is not None:
        row.departments = sorted(set(body.departments))
    if body.stages is not None:
        row.stages = sorted(set(body.stages))
    if "mapping" in given:
        row.mapping = _mapping_json(body.mapping)
    if body.enabled is not None:
        row.enabled = body.enabled
    if problem := scope_problem(row.departments, row.stages):
        raise Unprocessable(problem, errors=[{"loc": ["body"], "msg": problem, "type": "value_error"}])
    row.updated_at = now
    session.add(row)
    return public(row)


def delete_integration(session: Session, name: str) -> None:
    row = _get(session, name)
    integrations.forget_receipts(session, name)
    session.delete(row)


def rotate_secret(session: Session, name: str, body: SecretRotation, now: datetime) -> IntegrationWithSecret:
    """A new secret now; the current one keeps verifying for the overlap (one older secret at most)."""
    row = _get(session, name)
    overlap = timedelta(minutes=body.overlap_minutes)
    rotate(row, body.secret or new_secret(), overlap, now)
    row.updated_at = now
    session.add(row)
    return _with_secret(row)


@dataclass(frozen=True)
class InboundSource:
    """What a signed request is checked against and acts as."""

    name: str
    secrets: tuple[str, ...]
    mapping: PayloadMap | None
    principal: Principal
    enabled: bool

    def check_enabled(self) -> None:
        if not self.enabled:
            raise Forbidden(f"the integration '{self.name}' is disabled; an admin can enable it again")


def inbound_source(session: Session, name: str, now: datetime) -> InboundSource:
    row = session.get(Integration, name)
    if row is None:
        raise NotFound(f"no integration '{name}'; an admin registers it with POST /v1/integrations")
    secrets = list(secrets_in_use(row, now))
    mapping = None
    if row.mapping is not None:
        declared = PayloadMapping.model_validate(row.mapping)
        mapping = PayloadMap(dict(declared.paths), dict(declared.fixed), dict(declared.status_values))
    principal = Principal(
        key_id=f"integration:{row.name}",
        name=row.name,
        role="integration",
        departments=frozenset(row.departments),
        stages=frozenset(row.stages),
    )
    return InboundSource(row.name, tuple(secrets), mapping, principal, row.enabled)
