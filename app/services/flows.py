"""Flows: define, read, and the parsed definitions that every order computation needs."""

from __future__ import annotations

import weakref
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Engine

from app.db import Session
from app.domain.dag import validate_stage_graph
from app.domain.errors import Conflict, NotFound, Unprocessable
from app.domain.texts import STANDARD_REASONS, ReasonCode, reason_catalogue
from app.models.flow import Flow, FlowCreate, FlowPublic, ReasonCodePublic
from app.repositories import flows as configured


class FlowDefinition:
    """A flow, parsed once: stages in topological order, texts and the reason catalogue."""

    def __init__(self, spec: FlowCreate, created_at: datetime) -> None:
        self.spec = spec
        self.key = spec.key
        self.created_at = created_at
        self.stages = {s.key: s for s in spec.stages}
        self.order = validate_stage_graph([(s.key, s.depends_on) for s in spec.stages])
        self.reasons: dict[str, ReasonCode] = reason_catalogue(
            {
                r.code: ReasonCode(r.code, r.label.model_dump(), r.customer.model_dump())
                for r in spec.reason_codes
            }
        )

    def texts_for(self, stage_key: str) -> dict[str, dict[str, str]]:
        return {status: text.model_dump() for status, text in self.spec.texts.get(stage_key, {}).items()}

    def public(self) -> FlowPublic:
        own = {r.code for r in self.spec.reason_codes}
        reasons = [
            ReasonCodePublic(
                code=r.code,
                label=dict(r.label),
                customer=dict(r.customer),
                standard=r.code in STANDARD_REASONS and r.code not in own,
            )
            for r in self.reasons.values()
        ]
        return FlowPublic(
            key=self.spec.key,
            name=self.spec.name,
            stages=self.spec.stages,
            texts=self.spec.texts,
            reason_codes=reasons,
            created_at=self.created_at,
        )


def _definition_json(spec: FlowCreate) -> dict[str, object]:
    return spec.model_dump(mode="json", exclude={"key", "name"})


@lru_cache(maxsize=1024)
def _parse(key: str, name: str, definition: str, created_at: datetime) -> FlowDefinition:
    spec = FlowCreate.model_validate_json(definition)
    return FlowDefinition(spec, created_at)


def definition_of(flow: Flow) -> FlowDefinition:
    # Flows never change once defined, so a parsed copy can be kept for the life of the process.
    import orjson

    payload = dict(flow.definition)
    payload.update(key=flow.key, name=flow.name)
    return _parse(
        flow.key, flow.name, orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode(), flow.created_at
    )


#: Parsed flows per database. Flows never change once defined, so nothing here goes stale.
_LOADED: weakref.WeakKeyDictionary[Engine, dict[str, FlowDefinition]] = weakref.WeakKeyDictionary()


def load_flow(session: Session, key: str) -> FlowDefinition:
    engine = session.get_bind()
    cache = _LOADED.setdefault(engine, {}) if isinstance(engine, Engine) else {}
    cached = cache.get(key)
    if cached is not None:
        return cached
    flow = session.get(Flow, key)
    if flow is None:
        known = configured.flow_keys(session)
        raise NotFound(f"no flow '{key}'; known flows: {', '.join(known) or 'none'}")
    definition = definition_of(flow)
    cache[key] = definition
    return definition


def create_flow(session: Session, spec: FlowCreate, now: datetime) -> FlowPublic:
    validate_stage_graph([(s.key, s.depends_on) for s in spec.stages])
    currencies = {s.planned_cost.currency for s in spec.stages if s.planned_cost}
    if len(currencies) > 1:
        raise Unprocessable(f"planned costs must share one currency; found {', '.join(sorted(currencies))}")
    known = set(configured.calendar_keys(session))
    for index, stage in enumerate(spec.stages):
        if stage.calendar is not None and stage.calendar not in known:
            message = (
                f"stage '{stage.key}' names calendar '{stage.calendar}'; known: {', '.join(sorted(known))}"
            )
            raise Unprocessable(
                message,
                errors=[
                    {"loc": ["body", "stages", index, "calendar"], "msg": message, "type": "value_error"}
                ],
            )
    if session.get(Flow, spec.key) is not None:
        raise Conflict(
            f"a flow '{spec.key}' already exists; flows cannot be redefined, give the new one another key"
        )
    flow = Flow(key=spec.key, name=spec.name, definition=_definition_json(spec), created_at=now)
    session.add(flow)
    session.flush()
    return definition_of(flow).public()


def list_flows(session: Session) -> list[FlowPublic]:
    flows = configured.flows(session, ordered=True)
    return [definition_of(f).public() for f in flows]


def get_flow(session: Session, key: str) -> FlowPublic:
    return load_flow(session, key).public()
