"""`nextdesk simulate`: a seeded run through the API gives the same figures every time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.simulate.report import HEADING, figures, risk_table, write_section
from app.simulate.runner import simulate
from app.simulate.workload import Workload

SMALL = replace(Workload(), interarrival_minutes=30.0, sweep_every_minutes=120.0, block_probability=0.3)


def test_the_same_seed_gives_the_same_figures() -> None:
    first = figures(simulate(8, seed=3, workload=SMALL))
    second = figures(simulate(8, seed=3, workload=SMALL))
    assert first == second
    assert first.orders == 8
    assert first.stage_starts >= 8 * 3
    assert 0.0 <= first.latest_coverage <= 1.0
    assert first.likely_median_abs_error_hours > 0


def test_the_results_section_replaces_only_its_own(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(
        "# Benchmark results\n\n## Throughput\n\n1,000 req/s\n\n"
        "## Estimate accuracy\n\nold\n\n## Memory\n\n80 MB\n"
    )
    write_section(results, f"{HEADING}\n\nnew figures\n")
    text = results.read_text()
    assert "old" not in text
    assert "new figures" in text
    assert text.index("## Throughput") < text.index(HEADING) < text.index("## Memory")
    assert "1,000 req/s" in text
    assert "80 MB" in text

    fresh = tmp_path / "other" / "RESULTS.md"
    write_section(fresh, f"{HEADING}\n\nfigures\n")
    assert fresh.read_text().startswith("# Benchmark results\n\n## Estimate accuracy")


def test_the_risk_table_trades_alarms_for_warnings_as_the_threshold_rises() -> None:
    record = simulate(12, seed=5, workload=SMALL)
    rows = risk_table(record, levels=(0.2, 0.5, 0.9))
    assert [row.level for row in rows] == [0.2, 0.5, 0.9]
    # A higher threshold flags no more orders: fewer broken promises caught, fewer false alarms.
    flagged = [row.flagged_before_promise for row in rows]
    alarms = [row.false_alarms for row in rows]
    assert flagged == sorted(flagged, reverse=True)
    assert alarms == sorted(alarms, reverse=True)
