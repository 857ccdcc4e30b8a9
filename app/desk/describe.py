"""Events in words an agent reads: one line per event, with the internal note kept apart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.desk.i18n import Words
from app.domain.attention import is_significant
from app.domain.texts import ReasonCode


@dataclass(frozen=True)
class Described:
    event_id: int
    type: str
    at: datetime
    text: str
    actor: str | None
    significant: bool
    internal_note: str | None = None
    customer_note: str | None = None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _values(
    data: Mapping[str, Any], words: Words, stage_names: Mapping[str, str], reasons: Mapping[str, ReasonCode]
) -> dict[str, str]:
    values = {k: str(v) for k, v in data.items() if isinstance(v, str | int | float)}
    stage = data.get("stage")
    if isinstance(stage, str):
        values["stage"] = stage_names.get(stage, stage)
    reason = data.get("reason")
    if isinstance(reason, str):
        values["reason"] = reasons[reason].label[words.language] if reason in reasons else reason
    for name in ("promised_at", "likely_at", "eta_likely_at", "latest_at"):
        if name in data:
            values[name] = words.when(_moment(data.get(name)))
    delta = data.get("delta_minutes")
    if isinstance(delta, int):
        values["delta"] = ("+" if delta >= 0 else "−") + words.duration(delta)
    currency = str(data.get("currency", ""))
    for name in ("previous_estimated", "estimated"):
        if isinstance(data.get(name), str):
            values[name] = words.money(data[name], currency)
    outcome = data.get("outcome")
    values["outcome"] = f" ({words('outcome_' + outcome)})" if isinstance(outcome, str) else ""
    for name, prefix in (("channel", "channel_"), ("category", "category_"), ("kind", "kind_")):
        if isinstance(data.get(name), str):
            values[name] = words(prefix + data[name])
    if "category" in values:
        values["category"] = values["category"].capitalize()
    return values


def describe(
    envelope: Mapping[str, Any],
    words: Words,
    stage_names: Mapping[str, str],
    reasons: Mapping[str, ReasonCode],
) -> Described:
    data: Mapping[str, Any] = envelope.get("data") or {}
    kind = str(envelope["type"])
    values = _values(data, words, stage_names, reasons)
    key = f"ev_{kind}" if f"ev_{kind}" in words.messages else "ev_other"
    try:
        text = words(key, type=kind, **{k: v for k, v in values.items() if k != "type"})
    except (KeyError, IndexError):
        # An event written by an older or newer version may lack a field: say what it was, at least.
        text = kind
    stage_event = kind.startswith("stage.")
    return Described(
        event_id=int(envelope["id"]),
        type=kind,
        at=_moment(envelope.get("time")) or datetime.min,
        text=text,
        actor=data.get("actor_name") if isinstance(data.get("actor_name"), str) else None,
        significant=is_significant(kind, data),
        internal_note=data.get("internal_note") if stage_event or kind == "order.updated" else None,
        customer_note=data.get("customer_note") if stage_event or kind == "order.updated" else None,
    )
