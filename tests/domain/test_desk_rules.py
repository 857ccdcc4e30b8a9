"""The desk's pure rules: significance, percentiles, periods, the flow picture, chart axes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.desk.charts import BarRow, Segment, bar_chart, nice_ceiling, tick_count
from app.desk.flow_picture import columns
from app.domain.attention import is_significant, still_to_tell
from app.domain.errors import Unprocessable
from app.domain.period import resolve_period
from app.domain.reports import Call, FinishedStage, StageInfo, call_figures, stage_figures
from app.domain.stats import median, percentile

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("order.at_risk", {}, True),
        ("estimate.revised", {"significant": True}, True),
        ("estimate.revised", {"significant": False}, False),
        ("cost.revised", {}, False),
        ("stage.started", {"significant": "yes"}, False),
    ],
)
def test_what_is_news_for_the_customer(kind: str, data: dict[str, object], expected: bool) -> None:
    assert is_significant(kind, data) is expected


@pytest.mark.parametrize(
    ("news", "covered", "expected"),
    [(None, None, False), (5, None, True), (5, 5, False), (5, 7, False), (8, 7, True)],
)
def test_still_to_tell(news: int | None, covered: int | None, expected: bool) -> None:
    assert still_to_tell(news, covered) is expected


def test_median_and_percentiles() -> None:
    assert median([]) is None
    assert percentile([], 0.9) is None
    assert percentile([42.0], 0.9) == 42.0
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == pytest.approx(9.1)
    with pytest.raises(ValueError, match="share"):
        percentile([1.0], 1.5)


def test_a_period_from_dates_in_the_business_zone() -> None:
    period = resolve_period("2026-11-01", "2026-11-01", NOW, JAKARTA)
    assert period.start == datetime(2026, 11, 1, tzinfo=JAKARTA)
    assert period.end == datetime(2026, 11, 2, tzinfo=JAKARTA)
    default = resolve_period(None, None, NOW, JAKARTA)
    assert default.contains(NOW)
    assert default.start == NOW + timedelta(microseconds=1) - timedelta(days=30)


@pytest.mark.parametrize(
    ("start", "end", "mentions"),
    [
        ("soon", None, "not a date"),
        ("2026-11-01T00:00:00", None, "time zone"),
        ("2026-11-05", "2026-11-01", "before"),
        ("2025-01-01", "2026-11-01", "at most 366"),
    ],
)
def test_bad_periods(start: str, end: str | None, mentions: str) -> None:
    with pytest.raises(Unprocessable, match=mentions):
        resolve_period(start, end, NOW, JAKARTA)


@dataclass
class Node:
    key: str
    depends_on: list[str] = field(default_factory=list)


def test_the_flow_picture_puts_parallel_stages_side_by_side() -> None:
    stages = [
        Node("diagnosis"),
        Node("parts", ["diagnosis"]),
        Node("quote", ["diagnosis"]),
        Node("repair", ["parts", "quote"]),
        Node("shipping", ["repair"]),
    ]
    assert [[n.key for n in c] for c in columns(stages)] == [
        ["diagnosis"],
        ["parts", "quote"],
        ["repair"],
        ["shipping"],
    ]


@pytest.mark.parametrize(
    ("value", "ceiling", "ticks"),
    [(0, 1, 5), (0.7, 1, 5), (1.2, 2, 4), (19, 20, 4), (23, 25, 5), (51, 100, 5)],
)
def test_axes_end_and_step_on_round_numbers(value: float, ceiling: float, ticks: int) -> None:
    assert nice_ceiling(value) == ceiling
    assert tick_count(ceiling) == ticks


def test_bars_stack_and_scale_to_the_axis() -> None:
    chart = bar_chart(
        [
            BarRow("Assembly", [[Segment(3, "inquiries", "3"), Segment(1, "complaints", "1")]], "4"),
            BarRow("Finance", [[Segment(0, "inquiries", "0"), Segment(2, "complaints", "2")]], "2"),
        ]
    )
    assembly_inquiries, assembly_complaints, finance_complaints = chart.rects
    assert assembly_complaints.x == pytest.approx(assembly_inquiries.x + assembly_inquiries.width)
    assert assembly_inquiries.width == pytest.approx(3 * finance_complaints.width / 2)
    assert [t.text for t in chart.ticks] == ["0", "1", "2", "3", "4", "5"]


def test_stage_figures_cover_quiet_stages_and_departments() -> None:
    assembly = StageInfo("standard", "assembly", "Assembly", "assembly", 480)
    finance = StageInfo("standard", "finance", "Finance", "finance", 120)
    finished = [FinishedStage(assembly, NOW, NOW + timedelta(hours=h)) for h in (6, 10)]
    calls = [Call(assembly, "complaint", "phone"), Call(None, "inquiry", "chat")]
    stages, departments = stage_figures([assembly, finance], finished, [finance], calls)
    by_stage = {r.stage: r for r in stages}
    assert by_stage["assembly"].median_minutes == 480.0
    assert by_stage["assembly"].late == 1
    assert by_stage["assembly"].complaints == 1
    assert by_stage["finance"].finished == 0
    assert by_stage["finance"].overdue_lapses == 1
    assert [d.department for d in departments] == ["assembly", "finance"]

    call_stages, call_departments = call_figures(calls)
    assert [(r.stage, r.total, r.share) for r in call_stages] == [("assembly", 1, 0.5), (None, 1, 0.5)]
    assert {r.department for r in call_departments} == {"assembly", None}


def test_the_chance_of_missing_the_promise_grows_with_the_spread_past_it() -> None:
    from datetime import UTC, datetime, timedelta

    from app.domain.order_state import late_probability

    promised = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    hour = timedelta(hours=1)
    assert late_probability(promised - 2 * hour, promised - 2 * hour, promised) == 0.0
    assert late_probability(promised + hour, promised + hour, promised) == 1.0
    assert abs(late_probability(promised, promised + 4 * hour, promised) - 0.5) < 1e-9
    # Likely two hours early, latest two hours late: a tenth of the time it is later than latest.
    assert 0.1 < late_probability(promised - 2 * hour, promised + 2 * hour, promised) < 0.5
    assert abs(late_probability(promised - 4 * hour, promised, promised) - 0.1) < 1e-9
