"""Sentences name the day as a customer says it: today, tomorrow, else the weekday and the date,
in English and in Indonesian; a time only on the promised day, and then the estimate's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.order_state import OrderState
from app.domain.stage_machine import StageStatus
from app.domain.texts import STANDARD_REASONS, HeadlineStage, customer_message, format_day, format_when

JAKARTA = ZoneInfo("Asia/Jakarta")
#: Thursday 3 Dec 2026, 09:00 in Jakarta.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
ASSEMBLY = HeadlineStage("assembly", "Assembly", StageStatus.IN_PROGRESS, None, {}, names={"id": "Perakitan"})


def _message(likely: datetime, promised: datetime) -> dict[str, str]:
    return customer_message(
        state=OrderState.OPEN if likely <= promised else OrderState.AT_RISK,
        headline=ASSEMBLY,
        eta_likely_at=likely,
        promised_at=promised,
        reasons=STANDARD_REASONS,
        zone=JAKARTA,
        now=NOW,
    )


@pytest.mark.parametrize(
    ("likely", "en", "id_"),
    [
        (NOW + timedelta(hours=6), "today", "hari ini"),
        (NOW + timedelta(days=1), "tomorrow", "besok"),
        # Friday 16:30 in Jakarta is 09:30 UTC: the day is Jakarta's, not UTC's.
        (datetime(2026, 12, 4, 9, 30, tzinfo=UTC), "tomorrow", "besok"),
        (datetime(2026, 12, 7, 3, 0, tzinfo=UTC), "Monday 7 Dec", "Senin 7 Des"),
        (datetime(2026, 12, 12, 1, 0, tzinfo=UTC), "Saturday 12 Dec", "Sabtu 12 Des"),
        (datetime(2027, 1, 4, 1, 0, tzinfo=UTC), "Monday 4 Jan", "Senin 4 Jan"),
    ],
)
def test_the_day_is_named_from_where_the_customer_stands(likely: datetime, en: str, id_: str) -> None:
    assert format_day(likely, "en", JAKARTA, NOW) == en
    assert format_day(likely, "id", JAKARTA, NOW) == id_


def test_a_promise_kept_names_the_day_alone() -> None:
    promised = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    message = _message(datetime(2026, 12, 7, 3, 0, tzinfo=UTC), promised)
    assert message["en"] == "Your order is in Assembly; we expect it on Monday 7 Dec, as promised."
    assert (
        message["id"]
        == "Pesanan Anda sedang dalam tahap Perakitan; kami perkirakan selesai Senin 7 Des, sesuai janji."
    )
    tomorrow = _message(NOW + timedelta(days=1), promised)
    assert tomorrow["en"] == "Your order is in Assembly; we expect it tomorrow, as promised."
    assert (
        tomorrow["id"]
        == "Pesanan Anda sedang dalam tahap Perakitan; kami perkirakan selesai besok, sesuai janji."
    )


def test_a_slip_on_the_promised_day_names_the_time_today_or_on_a_weekday() -> None:
    # Promised today at 12:00, now expected at 15:00 today.
    today = _message(NOW + timedelta(hours=6), NOW + timedelta(hours=3))
    assert today["en"] == (
        "Your order is in Assembly; we now expect it today at 15:00, later than the time we promised."
    )
    assert today["id"] == (
        "Pesanan Anda sedang dalam tahap Perakitan; kini kami perkirakan selesai hari ini pukul 15.00, "
        "lebih lambat dari waktu yang dijanjikan."
    )
    monday = _message(datetime(2026, 12, 7, 3, 0, tzinfo=UTC), datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    assert monday["en"] == (
        "Your order is in Assembly; "
        "we now expect it on Monday 7 Dec at 10:00, later than the time we promised."
    )
    assert monday["id"] == (
        "Pesanan Anda sedang dalam tahap Perakitan; kini kami perkirakan selesai Senin 7 Des pukul 10.00, "
        "lebih lambat dari waktu yang dijanjikan."
    )


def test_a_slip_past_the_promised_day_names_the_new_day_without_a_time() -> None:
    message = _message(datetime(2026, 12, 4, 3, 0, tzinfo=UTC), NOW + timedelta(hours=3))
    assert (
        message["en"] == "Your order is in Assembly; we now expect it tomorrow, after the date we promised."
    )
    assert message["id"] == (
        "Pesanan Anda sedang dalam tahap Perakitan; kini kami perkirakan selesai besok, "
        "lewat dari tanggal yang dijanjikan."
    )


def test_without_a_moment_to_stand_on_the_weekday_and_date_are_named() -> None:
    moment = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert format_when(moment, "en", JAKARTA) == "on Thursday 3 Dec at 15:00"
    assert format_when(moment, "id", JAKARTA) == "Kamis 3 Des pukul 15.00"
    assert format_when(moment, "en", JAKARTA, NOW) == "today at 15:00"
