from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from app.domain.costs import CostRollup
from app.domain.derivation import Derived
from app.domain.eta import Basis, Eta
from app.domain.order_news import LEDGER_EVENT, Announcement, ChangeFacts, order_news
from app.domain.order_state import OrderState
from app.domain.significance import Significance

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
PROMISED = NOW + timedelta(days=2)
COMMON = {"order": "SO-1", "actor": "key:tech", "actor_name": "Budi", "actor_role": "technician"}


def derived(likely: datetime, estimated: str = "100", state: OrderState = OrderState.OPEN) -> Derived:
    at_risk = state in (OrderState.AT_RISK, OrderState.LATE)
    costs = CostRollup(Decimal("100"), Decimal(estimated), Decimal("0"))
    return Derived(Eta(likely, likely + timedelta(hours=4), Basis.REVISED), state, at_risk, costs)


def facts(before: Derived, after: Derived) -> ChangeFacts:
    return ChangeFacts(
        order_id=7,
        promised_at=PROMISED,
        currency="IDR",
        version=4,
        common=COMMON,
        actor="key:tech",
        now=NOW,
        significance=Significance(),
        before=before,
        after=after,
        cause_stage="assembly",
        cause_department="assembly",
        cause_reason="waiting_parts",
    )


def test_a_slip_past_the_promise_is_a_revision_a_ledger_row_and_a_risk() -> None:
    before = derived(PROMISED - timedelta(hours=6))
    after = derived(PROMISED + timedelta(hours=6), state=OrderState.AT_RISK)
    news = order_news(facts(before, after), [Announcement("stage.blocked", {**COMMON}, "assembly")])
    assert [e.type for e in news.events] == ["stage.blocked", "estimate.revised", "order.at_risk"]
    revised = news.events[1].data
    assert (revised["delta_minutes"], revised["crossed_promise"], revised["significant"]) == (
        720,
        "behind",
        True,
    )
    # Every event says where the order stands once written.
    assert all(e.data["order_version"] == 4 and e.data["state"] == "at_risk" for e in news.events)
    [row] = news.ledger
    assert (row["kind"], row["delta_minutes"], row["order_id"], row["event_id"]) == ("eta", 720, 7, None)
    assert LEDGER_EVENT[row["kind"]] == "estimate.revised"


def test_a_move_under_a_minute_is_not_news_and_the_fallback_speaks() -> None:
    before = derived(PROMISED - timedelta(hours=6))
    after = derived(PROMISED - timedelta(hours=6) + timedelta(seconds=30))
    fallback = Announcement("order.updated", {**COMMON, "changes": {"assignee": "Budi"}}, "assembly")
    news = order_news(facts(before, after), [], fallback)
    assert [e.type for e in news.events] == ["order.updated"]
    assert news.ledger == []


def test_a_cost_rise_is_told_and_written_down() -> None:
    before = derived(PROMISED - timedelta(hours=6))
    after = replace(before, costs=CostRollup(Decimal("100"), Decimal("130"), Decimal("0")))
    news = order_news(facts(before, after), [])
    [event] = news.events
    assert (event.type, event.data["delta"], event.data["significant"]) == ("cost.revised", "30", True)
    [row] = news.ledger
    assert (row["kind"], row["delta_amount"]) == ("cost", Decimal("30"))
