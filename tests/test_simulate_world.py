"""`nextdesk simulate`'s world: office hours with weekends and Indonesian holidays, stages a
machine closes the instant they are ready, and costs that creep up; and its table of the at-risk
rule over thresholds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.simulate.report import (
    HEADING,
    RISK_LEVELS,
    risk_markdown,
    risk_table,
    rule_comparison,
    write_section,
)
from app.simulate.runner import simulate
from app.simulate.workload import Workload, office_hours

WORLD = replace(
    Workload(),
    interarrival_minutes=45.0,
    sweep_every_minutes=120.0,
    instant_probability=0.3,
    cost_creep_probability=0.4,
)


def test_the_world_works_office_hours_with_instant_finishes_and_cost_creep() -> None:
    record = simulate(10, seed=11, workload=WORLD)
    office = office_hours()
    assert all(o.finished_at is not None for o in record.outcomes.values())
    # Technicians start work only while the office is open; machines close stages at any hour,
    # and those stages start and finish in the same instant.
    assert record.starts
    assert all(office.is_working(start.at) for start in record.starts)
    # Every promise is given in working time.
    assert all(office.is_working(o.plan.promised_at) for o in record.outcomes.values())
    assert any(fate.instant for o in record.outcomes.values() for fate in o.plan.fates.values())
    # The creeping costs reached the service as revisions of the estimate.
    assert record.event_counts.get("cost.revised", 0) > 0

    rows = risk_table(record, levels=RISK_LEVELS)
    assert [row.level for row in rows] == list(RISK_LEVELS)
    comparison = rule_comparison(record)
    assert [row.rule for row in comparison][-1].startswith("... and the early level")
    text = "\n".join(risk_markdown(rows, 0.9, comparison))
    assert "kept promises ever flagged (<= 10%)" in text
    assert "`RiskRule`" in text


def test_the_results_section_leaves_the_marker_of_the_next_writer(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    marker = "<!-- bench:growth:begin (written by `./dev bench --scenarios growth`) -->"
    results.write_text(f"# Benchmark results\n\n{HEADING}\n\nold\n\n{marker}\n## Database growth\n\n1 KB\n")
    write_section(results, f"{HEADING}\n\nnew figures\n")
    text = results.read_text()
    assert "old" not in text
    assert f"new figures\n{marker}\n## Database growth" in text or f"new figures\n\n{marker}" in text
    assert text.count(marker) == 1
