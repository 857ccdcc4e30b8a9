from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.domain.costs import StageCost, roll_up
from app.domain.order_state import OrderState
from app.domain.stage_machine import StageStatus
from app.domain.texts import STANDARD_REASONS, HeadlineStage, customer_message

S = StageStatus
JAKARTA = ZoneInfo("Asia/Jakarta")


def test_cost_rollup_moves_the_quote_by_each_stage_difference_from_plan() -> None:
    costs = roll_up(
        Decimal("1250000.00"),
        [
            StageCost(S.BLOCKED, None, Decimal("150000.00"), None),
            StageCost(S.DONE, Decimal("100000"), Decimal("90000"), Decimal("95000")),
            StageCost(S.SKIPPED, Decimal("50000"), None, None),
        ],
    )
    assert costs.estimated == Decimal("1250000.00") + 150000 - 5000 - 50000
    assert costs.actual == Decimal("95000")


def test_the_design_example_sentence() -> None:
    message = customer_message(
        state=OrderState.AT_RISK,
        headline=HeadlineStage("assembly", "Assembly", S.BLOCKED, "waiting_parts", {}),
        eta_likely_at=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
        promised_at=datetime(2026, 11, 26, 5, 0, tzinfo=UTC),
        reasons=STANDARD_REASONS,
        zone=JAKARTA,
    )
    assert message["en"] == (
        "Your order is waiting for a part; we now expect it on Friday 27 Nov, after the date we promised."
    )
    assert message["id"] == (
        "Pesanan Anda menunggu suku cadang; kini kami perkirakan selesai Jumat 27 Nov, "
        "lewat dari tanggal yang dijanjikan."
    )


@pytest.mark.parametrize("code", sorted(STANDARD_REASONS))
def test_every_reason_code_reads_in_both_languages(code: str) -> None:
    message = customer_message(
        state=OrderState.OPEN,
        headline=HeadlineStage("assembly", "Assembly", S.BLOCKED, code, {}),
        eta_likely_at=datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
        promised_at=datetime(2026, 11, 26, 5, 0, tzinfo=UTC),
        reasons=STANDARD_REASONS,
        zone=JAKARTA,
    )
    assert STANDARD_REASONS[code].customer["en"] in message["en"]
    assert STANDARD_REASONS[code].customer["id"] in message["id"]
    assert "as promised" in message["en"]
    assert "sesuai janji" in message["id"]


def test_flow_texts_override_the_defaults() -> None:
    message = customer_message(
        state=OrderState.OPEN,
        headline=HeadlineStage(
            "repair",
            "Repair",
            S.IN_PROGRESS,
            None,
            {"in_progress": {"en": "Your item is being repaired.", "id": "Barang Anda sedang diperbaiki."}},
        ),
        eta_likely_at=None,
        promised_at=datetime(2026, 11, 26, 5, 0, tzinfo=UTC),
        reasons=STANDARD_REASONS,
        zone=JAKARTA,
    )
    assert message == {"en": "Your item is being repaired.", "id": "Barang Anda sedang diperbaiki."}
