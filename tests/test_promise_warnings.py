"""An order promised while the office that finishes it is closed is accepted, and the answer says
so: a night, a weekend or a public holiday of the last stage's calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support import Api, iso


def _office_finishes_standard(api: Api) -> None:
    response = api.client.patch(
        "/v1/calendars/default",
        json={"departments": ["shipping"]},
        headers={"Authorization": f"Bearer {api.keys.admin}"},
    )
    assert response.status_code == 200, response.text


def _order(api: Api, reference: str, promised_at: datetime) -> dict[str, Any]:
    response = api.post(
        "/v1/orders",
        {
            "reference": reference,
            "customer": {"name": "Toko Maju"},
            "promised_at": iso(promised_at),
            "quoted_cost": {"amount": "1250000.00", "currency": "IDR"},
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("promised_at", "opens"),
    [
        # Saturday 5 Dec 20:00 in Jakarta: the office closed at 12:00, opens Monday 08:00.
        (datetime(2026, 12, 5, 13, 0, tzinfo=UTC), datetime(2026, 12, 7, 1, 0, tzinfo=UTC)),
        # Friday 25 Dec 10:00: Christmas Day, a public holiday in Indonesia.
        (datetime(2026, 12, 25, 3, 0, tzinfo=UTC), None),
        # Thursday 3 Dec 03:00 at night.
        (datetime(2026, 12, 2, 20, 0, tzinfo=UTC), datetime(2026, 12, 3, 1, 0, tzinfo=UTC)),
    ],
)
def test_a_promise_while_the_office_is_closed_is_accepted_with_a_warning(
    api: Api, promised_at: datetime, opens: datetime | None
) -> None:
    _office_finishes_standard(api)
    view = _order(api, "SO-1", promised_at)
    assert view["promised_at"].startswith(promised_at.strftime("%Y-%m-%dT%H:%M"))
    [warning] = view["warnings"]
    assert warning["code"] == "promise_outside_working_time"
    assert warning["calendar"] == "default"
    assert "shipping" in warning["message"]
    assert "working time" in warning["message"]
    next_opening = datetime.fromisoformat(warning["next_opening"].replace("Z", "+00:00"))
    assert next_opening > promised_at
    if opens is not None:
        assert next_opening == opens
    # The status view keeps saying it while the order is open.
    assert api.order("SO-1")["warnings"] == view["warnings"]


def test_a_promise_in_working_time_or_on_a_round_the_clock_stage_warns_of_nothing(api: Api) -> None:
    # Shipping runs round the clock (no calendar named): a promise at 03:00 is kept by it.
    assert _order(api, "SO-1", datetime(2026, 12, 2, 20, 0, tzinfo=UTC))["warnings"] == []
    _office_finishes_standard(api)
    # Thursday 3 Dec 10:00 in Jakarta; and the close of a working day counts as open.
    assert _order(api, "SO-2", datetime(2026, 12, 3, 3, 0, tzinfo=UTC))["warnings"] == []
    assert _order(api, "SO-3", datetime(2026, 12, 3, 10, 0, tzinfo=UTC))["warnings"] == []
