"""What the desk must tell the customer: significant changes not yet acknowledged."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Event types that are news for the customer whatever their data says.
ALWAYS_SIGNIFICANT: frozenset[str] = frozenset({"order.at_risk"})


def is_significant(event_type: str, data: Mapping[str, Any]) -> bool:
    """An event the customer must hear about: flagged significant when written, or a turn to risk."""
    return event_type in ALWAYS_SIGNIFICANT or data.get("significant") is True


def still_to_tell(last_significant_event_id: int | None, covered_event_id: int | None) -> bool:
    """A significant change after the last acknowledgement (or with none yet) is still to tell."""
    if last_significant_event_id is None:
        return False
    return covered_event_id is None or last_significant_event_id > covered_event_id
