"""The pure rules behind webhooks: schedule, Retry-After, addresses, subscriptions."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.webhooks import (
    DEFAULT_SCHEDULE,
    RETRY_DELAYS,
    EndpointRule,
    address_refusal,
    check_type_patterns,
    parse_retry_after,
    parse_schedule,
    probe_delay,
    retry_delay,
    should_disable,
)
from app.models.event import EVENT_TYPES

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("attempts", range(1, len(RETRY_DELAYS) + 1))
def test_each_retry_waits_its_step_within_twenty_percent(attempts: int) -> None:
    rng = random.Random(attempts)
    base = RETRY_DELAYS[attempts - 1]
    waits = [retry_delay(attempts, rng) for _ in range(200)]
    assert all(w is not None and base * 0.8 <= w <= base * 1.2 for w in waits)
    assert len(set(waits)) > 100  # jittered, so receivers are not hit in lockstep


def test_the_schedule_ends_after_the_last_step() -> None:
    assert retry_delay(len(RETRY_DELAYS) + 1, random.Random(0)) is None
    assert [d.total_seconds() for d in RETRY_DELAYS] == [5, 300, 1800, 7200, 18000, 36000, 36000]


def test_retry_after_replaces_the_step_within_bounds() -> None:
    rng = random.Random(0)
    assert retry_delay(1, rng, timedelta(seconds=90)) == timedelta(seconds=90)
    assert retry_delay(1, rng, timedelta(0)) == timedelta(seconds=1)
    assert retry_delay(1, rng, timedelta(days=9)) == timedelta(hours=24)
    assert retry_delay(len(RETRY_DELAYS) + 1, rng, timedelta(seconds=90)) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", timedelta(seconds=120)),
        (" 7 ", timedelta(seconds=7)),
        ("Tue, 24 Nov 2026 01:02:00 GMT", timedelta(minutes=2)),
        ("Tue, 24 Nov 2026 00:00:00 GMT", timedelta(0)),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(header: str | None, expected: timedelta | None) -> None:
    assert parse_retry_after(header, NOW) == expected


def test_five_days_of_failure_disable() -> None:
    five = timedelta(days=5)
    assert not should_disable(None, NOW, five)
    assert not should_disable(NOW - five + timedelta(seconds=1), NOW, five)
    assert should_disable(NOW - five, NOW, five)


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("169.254.10.1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("239.1.2.3", "multicast"),
        ("ff02::1", "multicast"),
        ("100.64.1.1", "not a public address"),
        # IPv6 forms that carry an IPv4 address are judged by the address they carry.
        ("2002:7f00:1::", "a 6to4 address for 127.0.0.1, a loopback address"),
        ("2002:a00:1::1", "a 6to4 address for 10.0.0.1, a private address"),
        ("2002:a9fe:a9fe::", "a 6to4 address for 169.254.169.254, a cloud metadata address"),
        ("2002:808:808::1", None),
        ("64:ff9b::7f00:1", "a NAT64 address for 127.0.0.1, a loopback address"),
        ("64:ff9b::c0a8:1", "a NAT64 address for 192.168.0.1, a private address"),
        ("64:ff9b::808:808", None),
        ("64:ff9b:1::808:808", "local-use NAT64"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
        ("2001::a00:1", "Teredo"),
        ("::7f00:1", "an IPv4-compatible address for 127.0.0.1, a loopback address"),
        ("::a9fe:a9fe", "an IPv4-compatible address for 169.254.169.254, a cloud metadata address"),
        ("::ffff:0:7f00:1", "an IPv4-translated address for 127.0.0.1, a loopback address"),
        ("::ffff:169.254.169.254", "an IPv4-mapped address for 169.254.169.254, a cloud metadata address"),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_refusals(address: str, why: str | None) -> None:
    refusal = address_refusal(address)
    if why is None:
        assert refusal is None
    else:
        assert refusal is not None
        assert why in refusal


def test_type_patterns_must_be_known() -> None:
    check_type_patterns(["*", "stage.*", "order.created", "endpoint.disabled"], EVENT_TYPES)
    with pytest.raises(ValueError, match="unknown event type stage.exploded, parcel.\\*"):
        check_type_patterns(["stage.exploded", "parcel.*"], EVENT_TYPES)


def test_a_rule_applies_types_departments_orders_and_significance() -> None:
    rule = EndpointRule(
        endpoint_id="we_1",
        active=True,
        event_types=("stage.*", "estimate.revised"),
        departments=frozenset({"finance"}),
        orders=frozenset(),
        significant_only=True,
    )
    assert rule.matches("stage.started", "SO-1", "finance", {})
    assert not rule.matches("stage.started", "SO-1", "assembly", {})
    assert not rule.matches("order.created", "SO-1", "finance", {})
    assert rule.matches("estimate.revised", "SO-1", "finance", {"significant": True})
    assert not rule.matches("estimate.revised", "SO-1", "finance", {"significant": False})
    only_one = EndpointRule("we_2", True, ("*",), frozenset(), frozenset({"SO-2"}), False)
    assert only_one.matches("order.created", "SO-2", None, {})
    assert not only_one.matches("order.created", "SO-1", None, {})


def test_the_schedule_setting_reads_as_delays() -> None:
    assert parse_schedule(DEFAULT_SCHEDULE) == RETRY_DELAYS
    assert parse_schedule(" 30s, 1m ,2h,1d") == (
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(hours=2),
        timedelta(days=1),
    )
    for bad in ("5 minutes", "5s,,5m", "0s", "8d", "1.5h", ",".join(["1s"] * 51)):
        with pytest.raises(ValueError, match="the retry schedule is a comma-separated list"):
            parse_schedule(bad)


def test_a_custom_schedule_sets_the_steps_and_their_number() -> None:
    schedule = (timedelta(minutes=1), timedelta(minutes=2))
    rng = random.Random(3)
    first, second = retry_delay(1, rng, schedule=schedule), retry_delay(2, rng, schedule=schedule)
    assert first is not None
    assert timedelta(seconds=48) <= first <= timedelta(seconds=72)
    assert second is not None
    assert timedelta(seconds=96) <= second <= timedelta(seconds=144)
    assert retry_delay(3, rng, schedule=schedule) is None


@pytest.mark.parametrize(
    ("outage", "probe_after"),
    [
        (timedelta(0), timedelta(seconds=10)),
        (timedelta(minutes=59), timedelta(seconds=10)),
        # Then the step a delivery that failed when the outage began is waiting out.
        (timedelta(hours=1), timedelta(hours=2)),
        (timedelta(hours=3), timedelta(hours=5)),
        (timedelta(hours=8), timedelta(hours=10)),
        (timedelta(days=3), timedelta(hours=10)),
    ],
)
def test_a_failing_endpoint_is_probed_often_in_the_first_hour_then_at_the_schedules_step(
    outage: timedelta, probe_after: timedelta
) -> None:
    assert probe_delay(NOW - outage, NOW) == probe_after


def test_a_probe_waits_longer_when_the_receiver_asks_to() -> None:
    assert probe_delay(NOW, NOW, retry_after=timedelta(minutes=2)) == timedelta(minutes=2)
    assert probe_delay(NOW, NOW, retry_after=timedelta(seconds=1)) == timedelta(seconds=10)
    assert probe_delay(NOW, NOW, interval=timedelta(seconds=3)) == timedelta(seconds=3)
