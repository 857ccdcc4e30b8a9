"""What the desk must tell the customer: significant changes not yet acknowledged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.domain.significance import Significance, cost_change_to_tell, eta_change_to_tell

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


def differs_from_told(
    *,
    ever_told: bool,
    at_risk: bool,
    told_likely_at: datetime | None,
    likely_at: datetime | None,
    promised_at: datetime,
    told_amount: Decimal | None,
    estimated: Decimal,
    quoted: Decimal,
    rule: Significance,
) -> bool:
    """Would the customer hear something else today than what they were last told? News that
    has since been undone (a slip, then the part came early) is nothing to call about."""
    if not ever_told and at_risk:
        # Never told anything but the promise, and the promise is in danger.
        return True
    return eta_change_to_tell(told_likely_at, likely_at, promised_at, rule) or cost_change_to_tell(
        told_amount, estimated, quoted, rule
    )
