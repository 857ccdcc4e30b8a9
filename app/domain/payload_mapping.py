"""How another system's payload becomes one of our stage updates.

Two forms: our own shape (``{"order": ..., "stage": ..., <stage update fields>}``), or a small
declared mapping: dotted paths into their payload for each of our fields, fixed values for
fields their payload does not carry, and a table from their status values to ours. The language
is deliberately small, so that it can be checked completely when an integration is registered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.errors import Unprocessable
from app.domain.stage_machine import StageStatus

#: Our fields a mapping may fill.
TARGETS = ("order", "stage", "status", "reason", "internal_note", "customer_note")
#: Without these there is no update to make.
REQUIRED_TARGETS = ("order", "stage")
#: At least one of these must be filled, or the update would say nothing.
SAYING_TARGETS = ("status", "reason", "internal_note", "customer_note")
#: Optional fields: a payload without them simply leaves them unchanged.
OPTIONAL_TARGETS = ("reason", "internal_note", "customer_note")
#: Statuses an update may ask for (readiness is derived, never asked for).
REQUESTABLE_STATUSES = tuple(
    s.value for s in StageStatus if s not in (StageStatus.PENDING, StageStatus.READY)
)

PATH_PATTERN = re.compile(r"^[A-Za-z0-9_\-$@]+(\.[A-Za-z0-9_\-$@]+){0,9}$")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
MAX_PATH_LENGTH = 200


@dataclass(frozen=True)
class PayloadMap:
    """A checked mapping: ``paths`` our field -> their dotted path; ``fixed`` our field -> value."""

    paths: dict[str, str]
    fixed: dict[str, str] = field(default_factory=dict)
    status_values: dict[str, str] = field(default_factory=dict)


def mapping_problems(
    paths: Mapping[str, str], fixed: Mapping[str, str], status_values: Mapping[str, str]
) -> list[str]:
    """Everything wrong with a declared mapping, in words an admin can act on (empty: it is sound)."""
    problems: list[str] = []
    allowed = ", ".join(TARGETS)
    for target in (*paths, *fixed):
        if target not in TARGETS:
            problems.append(f"'{target}' is not a field a mapping can fill; allowed: {allowed}")
    for target in sorted(set(paths) & set(fixed)):
        problems.append(f"'{target}' is given both as a path and as a fixed value; choose one")
    for target, path in paths.items():
        if len(path) > MAX_PATH_LENGTH or not PATH_PATTERN.match(path):
            problems.append(
                f"path '{path}' for '{target}' is not a dotted path such as 'shipment.reference' "
                "(letters, digits, _ and -, at most 10 parts; a number picks a list item)"
            )
    if "order" in fixed:
        problems.append("'order' must come from the payload (a path), not be fixed")
    for target in REQUIRED_TARGETS:
        if target not in paths and target not in fixed:
            problems.append(f"'{target}' is needed: give a path to it or a fixed value")
    if not any(t in paths or t in fixed for t in SAYING_TARGETS):
        problems.append(
            f"the mapping fills none of {', '.join(SAYING_TARGETS)}, so an update would say nothing"
        )
    for target in ("stage", "reason"):
        value = fixed.get(target)
        if value is not None and not KEY_PATTERN.match(value):
            problems.append(f"fixed {target} '{value}' is not a key (lower-case letters, digits, _ and -)")
    statuses = ", ".join(REQUESTABLE_STATUSES)
    if "status" in fixed and fixed["status"] not in REQUESTABLE_STATUSES:
        problems.append(f"fixed status '{fixed['status']}' is not one of ours: {statuses}")
    if status_values and "status" not in paths:
        problems.append("status_values translate a status read from the payload: give a path for 'status'")
    for theirs, ours in status_values.items():
        if not theirs:
            problems.append("status_values has an empty status value")
        if ours not in REQUESTABLE_STATUSES:
            problems.append(
                f"status_values maps '{theirs}' to '{ours}', which is not one of ours: {statuses}"
            )
    return problems


class PayloadUnreadable(Unprocessable, title="Payload not understood", suffix="payload-unreadable"): ...


def _unreadable(loc: list[str | int], message: str, kind: str = "value_error") -> PayloadUnreadable:
    return PayloadUnreadable(message, errors=[{"loc": ["body", *loc], "msg": message, "type": kind}])


_MISSING = object()


def _lookup(payload: Any, path: str) -> tuple[Any, list[str | int]]:
    here: Any = payload
    walked: list[str | int] = []
    for part in path.split("."):
        if isinstance(here, dict):
            here = here.get(part, _MISSING)
            walked.append(part)
        elif isinstance(here, list) and part.isdigit():
            index = int(part)
            here = here[index] if index < len(here) else _MISSING
            walked.append(index)
        else:
            here = _MISSING
            walked.append(part)
        if here is _MISSING:
            return None, walked
    return here, walked


def _as_text(value: Any, loc: list[str | int], target: str) -> str:
    # Carriers often send references and status codes as numbers; both are read as text.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _unreadable(
            loc, f"'{'.'.join(map(str, loc))}' (our {target}) must be text, not {type(value).__name__}"
        )
    return str(value)


def map_payload(payload: Any, mapping: PayloadMap) -> dict[str, Any]:
    """Read our fields out of their payload: ``order``, ``stage`` and the stage update's fields."""
    if not isinstance(payload, dict):
        raise _unreadable([], "the payload must be a JSON object")
    out: dict[str, Any] = dict(mapping.fixed)
    for target, path in mapping.paths.items():
        value, loc = _lookup(payload, path)
        if value is None:
            if target in OPTIONAL_TARGETS:
                continue
            raise _unreadable(loc, f"the payload has no '{path}', which gives the {target}", "missing")
        text = _as_text(value, loc, target)
        if target == "status" and mapping.status_values:
            if text not in mapping.status_values:
                known = ", ".join(sorted(mapping.status_values))
                raise _unreadable(
                    loc, f"status '{text}' at '{path}' has no mapping; this integration maps: {known}", "enum"
                )
            text = mapping.status_values[text]
        out[target] = text
    return out


def split_own_shape(payload: Any) -> tuple[str, str, dict[str, Any]]:
    """Our own shape: ``order`` and ``stage`` beside the stage update's fields."""
    if not isinstance(payload, dict):
        raise _unreadable([], "the payload must be a JSON object with order, stage and the update's fields")
    rest = dict(payload)
    found: list[str] = []
    for name in ("order", "stage"):
        value = rest.pop(name, None)
        if not isinstance(value, str) or not value:
            raise _unreadable([name], f"'{name}' is required and must be text", "missing")
        found.append(value)
    return found[0], found[1], rest
