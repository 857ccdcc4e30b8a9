"""Flow definitions: the stages must form a directed acyclic graph."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from graphlib import CycleError, TopologicalSorter

from app.domain.errors import Unprocessable


def topological_order(depends_on: Mapping[str, Sequence[str]]) -> list[str]:
    """Order stage keys so that every stage comes after what it depends on.

    Ties keep the declared order, so a flow reads the way its author wrote it.
    """
    declared = list(depends_on)
    position = {key: i for i, key in enumerate(declared)}
    sorter: TopologicalSorter[str] = TopologicalSorter({k: list(v) for k, v in depends_on.items()})
    sorter.prepare()
    ordered: list[str] = []
    while sorter.is_active():
        batch = sorted(sorter.get_ready(), key=position.__getitem__)
        ordered.extend(batch)
        sorter.done(*batch)
    return ordered


def validate_stage_graph(stages: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """Check keys are unique, dependencies exist and nothing loops; return the topological order.

    Every problem is named, with its location, so a flow author can fix all of them at once.
    """
    errors: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for index, (key, _) in enumerate(stages):
        if key in seen:
            errors.append(
                {
                    "loc": ["body", "stages", index, "key"],
                    "msg": f"duplicate stage key '{key}' (already used by stage {seen[key]})",
                    "type": "duplicate_key",
                }
            )
        else:
            seen[key] = index
    for index, (key, deps) in enumerate(stages):
        for dep in deps:
            if dep not in seen:
                errors.append(
                    {
                        "loc": ["body", "stages", index, "depends_on"],
                        "msg": f"stage '{key}' depends on unknown stage '{dep}'; known stages: "
                        + ", ".join(seen),
                        "type": "unknown_dependency",
                    }
                )
            elif dep == key:
                errors.append(
                    {
                        "loc": ["body", "stages", index, "depends_on"],
                        "msg": f"stage '{key}' depends on itself",
                        "type": "cycle",
                    }
                )
    if errors:
        raise Unprocessable(
            "the flow's stages are not a valid graph: " + errors[0]["msg"].__str__(), errors=errors
        )
    graph = {key: list(deps) for key, deps in stages}
    try:
        return topological_order(graph)
    except CycleError as exc:
        cycle = list(exc.args[1]) if len(exc.args) > 1 else []
        path = " -> ".join(reversed(cycle)) if cycle else "unknown"
        raise Unprocessable(
            f"the flow's stages contain a cycle: {path}",
            errors=[{"loc": ["body", "stages"], "msg": f"dependency cycle: {path}", "type": "cycle"}],
        ) from exc
