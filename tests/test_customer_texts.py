"""The customer sentence: the latest reason in plain words, and the ETA against the promise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.order_state import OrderState
from app.domain.stage_machine import StageStatus
from app.domain.texts import LANGUAGES, STANDARD_REASONS, HeadlineStage, customer_message, latest_reason
from tests.support import Api

JAKARTA = ZoneInfo("Asia/Jakarta")
PROMISED = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)  # 26 Nov, 12:00 in Jakarta
LATE = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # 27 Nov, 15:00 in Jakarta
EARLY = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)

EXPECTED: dict[str, dict[str, str]] = {
    "waiting_parts": {"en": "waiting for a part", "id": "menunggu suku cadang"},
    "rework": {
        "en": "being reworked to meet our quality standard",
        "id": "sedang dikerjakan ulang agar memenuhi standar mutu kami",
    },
    "payment_pending": {"en": "waiting for a payment to clear", "id": "menunggu konfirmasi pembayaran"},
    "capacity": {
        "en": "in a queue while our team catches up",
        "id": "dalam antrean karena tim kami sedang penuh",
    },
    "carrier_delay": {"en": "delayed by the courier", "id": "tertunda di pihak kurir"},
    "customer_request": {"en": "on hold at your request", "id": "ditunda sesuai permintaan Anda"},
    "other": {"en": "delayed", "id": "tertunda"},
}


def _blocked(reason: str | None) -> HeadlineStage:
    return HeadlineStage("assembly", "Assembly", StageStatus.BLOCKED, reason, {})


def test_every_standard_code_has_a_text_in_every_language() -> None:
    assert set(STANDARD_REASONS) == set(EXPECTED)
    for code in STANDARD_REASONS.values():
        assert set(code.label) == set(LANGUAGES)
        assert set(code.customer) == set(LANGUAGES)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_reason_reads_out_with_the_eta_after_the_promise(code: str) -> None:
    message = customer_message(
        state=OrderState.AT_RISK,
        headline=_blocked(code),
        eta_likely_at=LATE,
        promised_at=PROMISED,
        reasons=STANDARD_REASONS,
        zone=JAKARTA,
    )
    assert message == {
        "en": f"Your order is {EXPECTED[code]['en']}; we now expect it on Friday 27 Nov, "
        "after the date we promised.",
        "id": f"Pesanan Anda {EXPECTED[code]['id']}; kini kami perkirakan selesai Jumat 27 Nov, "
        "lewat dari tanggal yang dijanjikan.",
    }


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_reason_reads_out_with_the_eta_within_the_promise(code: str) -> None:
    message = customer_message(
        state=OrderState.OPEN,
        headline=_blocked(code),
        eta_likely_at=EARLY,
        promised_at=PROMISED,
        reasons=STANDARD_REASONS,
        zone=JAKARTA,
    )
    assert (
        message["en"]
        == f"Your order is {EXPECTED[code]['en']}; we expect it on Wednesday 25 Nov, as promised."
    )
    assert (
        message["id"]
        == f"Pesanan Anda {EXPECTED[code]['id']}; kami perkirakan selesai Rabu 25 Nov, sesuai janji."
    )


def test_a_slip_within_the_promised_day_names_the_time() -> None:
    message = customer_message(
        state=OrderState.AT_RISK,
        headline=_blocked("carrier_delay"),
        eta_likely_at=PROMISED + timedelta(hours=3),
        promised_at=PROMISED,
        reasons=STANDARD_REASONS,
        zone=JAKARTA,
    )
    assert message["en"] == (
        "Your order is delayed by the courier; "
        "we now expect it on Thursday 26 Nov at 15:00, later than the time we promised."
    )
    assert message["id"] == (
        "Pesanan Anda tertunda di pihak kurir; kini kami perkirakan selesai Kamis 26 Nov pukul 15.00, "
        "lebih lambat dari waktu yang dijanjikan."
    )


def test_the_latest_reason_on_a_stage_under_way_is_the_one_told() -> None:
    earlier = datetime(2026, 11, 24, tzinfo=UTC)
    stages = [
        HeadlineStage("assembly", "Assembly", StageStatus.IN_PROGRESS, "rework", {}, earlier),
        HeadlineStage(
            "shipping", "Shipping", StageStatus.IN_PROGRESS, "carrier_delay", {}, earlier + timedelta(hours=1)
        ),
        HeadlineStage(
            "finance", "Finance", StageStatus.DONE, "payment_pending", {}, earlier + timedelta(hours=2)
        ),
    ]
    assert latest_reason(stages, stages[0]) == "rework"  # the headline's own reason comes first
    headline = HeadlineStage("packing", "Packing", StageStatus.IN_PROGRESS, None, {})
    assert latest_reason([*stages, headline], headline) == "carrier_delay"


def test_a_flows_own_code_is_told_in_both_languages(api: Api) -> None:
    api.define_flow(
        {
            "key": "import",
            "name": "Imported goods",
            "stages": [
                {"key": "customs", "name": "Customs", "department": "shipping", "planned_minutes": 600}
            ],
            "reason_codes": [
                {
                    "code": "customs_hold",
                    "label": {"en": "Held at customs", "id": "Ditahan bea cukai"},
                    "customer": {"en": "held at customs", "id": "sedang ditahan di bea cukai"},
                }
            ],
        }
    )
    api.create_order(flow="import", promise_in=timedelta(days=1))
    api.update("SO-1042", "customs", status="in_progress")
    view = api.update(
        "SO-1042",
        "customs",
        status="blocked",
        reason="customs_hold",
        expected_finish_at=api.clock.now() + timedelta(days=3),
    )
    assert view["customer_message"] == {
        "en": "Your order is held at customs; we now expect it on Friday 27 Nov, after the date we promised.",
        "id": "Pesanan Anda sedang ditahan di bea cukai; kini kami perkirakan selesai Jumat 27 Nov, "
        "lewat dari tanggal yang dijanjikan.",
    }


def test_the_status_view_reads_like_the_example(api: Api) -> None:
    # Promised 26 Nov noon in Jakarta; a part is late and assembly now ends on the 27th.
    api.clock.set(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    api.create_order(promise_in=timedelta(hours=52))
    api.update("SO-1042", "assembly", status="in_progress")
    view = api.update(
        "SO-1042",
        "assembly",
        status="blocked",
        reason="waiting_parts",
        expected_finish_at=datetime(2026, 11, 26, 1, 0, tzinfo=UTC),
    )
    assert view["customer_message"]["en"] == (
        "Your order is waiting for a part; we now expect it on Friday 27 Nov, after the date we promised."
    )
    assert view["customer_message"]["id"] == (
        "Pesanan Anda menunggu suku cadang; "
        "kini kami perkirakan selesai Jumat 27 Nov, lewat dari tanggal yang dijanjikan."
    )
    # Resumed, with no reason left on any stage: the stage's own words again.
    resumed = api.update("SO-1042", "assembly", status="in_progress")
    assert resumed["customer_message"]["en"].startswith("Your order is being assembled; ")
