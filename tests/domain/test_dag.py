from __future__ import annotations

import pytest

from app.domain.dag import validate_stage_graph
from app.domain.errors import Unprocessable


def test_order_respects_dependencies_and_declared_order() -> None:
    order = validate_stage_graph([("ship", ["build", "pay"]), ("build", []), ("pay", [])])
    assert order == ["build", "pay", "ship"]


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ([("a", []), ("a", [])], "duplicate stage key 'a'"),
        ([("a", ["ghost"])], "unknown stage 'ghost'"),
        ([("a", ["a"])], "depends on itself"),
        ([("a", ["c"]), ("b", ["a"]), ("c", ["b"])], "cycle"),
    ],
)
def test_bad_graphs_are_named(stages: list[tuple[str, list[str]]], message: str) -> None:
    with pytest.raises(Unprocessable, match=message) as caught:
        validate_stage_graph(stages)
    assert caught.value.extra["errors"]
