"""An order's stages as a simple picture: columns of stages that may run side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar


class _Node(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def depends_on(self) -> list[str]: ...


N = TypeVar("N", bound=_Node)


def columns(stages: Sequence[N]) -> list[list[N]]:
    """Stage i sits one column right of the furthest stage it waits for.

    ``stages`` come in topological order (as the status view lists them), so one pass suffices.
    """
    depth: dict[str, int] = {}
    for stage in stages:
        depth[stage.key] = 1 + max((depth.get(d, -1) for d in stage.depends_on), default=-1)
    grouped: list[list[N]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for stage in stages:
        grouped[depth[stage.key]].append(stage)
    return grouped
