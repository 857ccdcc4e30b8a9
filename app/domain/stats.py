"""Small statistics for reports: medians and percentiles of durations."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """The value below which ``share`` of the values lie (linear between ranks, as spreadsheets do)."""
    if not values:
        return None
    if not 0 <= share <= 1:
        raise ValueError("share must be between 0 and 1")
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
