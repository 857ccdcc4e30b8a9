"""Horizontal bar charts, laid out here and drawn by the template as inline SVG: no script needed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

LABEL_WIDTH = 170
PLOT_WIDTH = 720
VALUE_WIDTH = 70
ROW_HEIGHT = 30
BAR_HEIGHT = 18
AXIS_HEIGHT = 26


@dataclass(frozen=True)
class Segment:
    value: float
    kind: str  # a CSS class: which series the segment belongs to
    title: str  # read by screen readers and shown on hover


@dataclass(frozen=True)
class BarRow:
    label: str
    #: Bars drawn one under another within the row; each bar stacks its segments.
    bars: list[list[Segment]]
    value_text: str
    marker: float | None = None
    marker_title: str = ""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    kind: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass
class Chart:
    width: int
    height: int
    labels: list[tuple[float, str]] = field(default_factory=list)  # (y, text)
    values: list[tuple[float, str]] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    markers: list[Rect] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    plot_left: int = LABEL_WIDTH
    plot_bottom: float = 0


def nice_ceiling(value: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at or above ``value``: axis ends people can read."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _tick_text(value: float) -> str:
    return f"{value:g}"


def tick_count(top: float) -> int:
    """Steps that land on round numbers: 0-2 in halves, 0-25 in fives, 0-10 in twos."""
    mantissa = top / 10.0 ** math.floor(math.log10(top))
    return 4 if round(mantissa, 6) == 2 else 5


def bar_chart(rows: list[BarRow]) -> Chart:
    largest = max(
        [sum(s.value for s in bar) for row in rows for bar in row.bars]
        + [row.marker or 0 for row in rows]
        + [0.0]
    )
    top = nice_ceiling(largest)
    scale = PLOT_WIDTH / top
    chart = Chart(width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, height=0)
    y = 4.0
    for row in rows:
        bar_count = max(len(row.bars), 1)
        height = BAR_HEIGHT / bar_count if bar_count > 1 else BAR_HEIGHT
        chart.labels.append((y + ROW_HEIGHT / 2, row.label))
        for index, bar in enumerate(row.bars):
            x = float(LABEL_WIDTH)
            top_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2 + index * height
            for segment in bar:
                width = segment.value * scale
                if width > 0:
                    chart.rects.append(Rect(x, top_y, width, height - 1, segment.kind, segment.title))
                x += width
        if row.marker is not None:
            chart.markers.append(
                Rect(
                    LABEL_WIDTH + row.marker * scale - 1, y + 3, 3, ROW_HEIGHT - 6, "marker", row.marker_title
                )
            )
        chart.values.append((y + ROW_HEIGHT / 2, row.value_text))
        y += ROW_HEIGHT
    chart.plot_bottom = y
    ticks = tick_count(top)
    for i in range(ticks + 1):
        value = top * i / ticks
        chart.ticks.append(Tick(LABEL_WIDTH + value * scale, _tick_text(value)))
    chart.height = int(y + AXIS_HEIGHT)
    return chart
