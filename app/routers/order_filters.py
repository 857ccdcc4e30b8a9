"""The filters an order list takes, shared by the list and the CSV export so both select alike."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from app.domain.errors import Unprocessable
from app.models.common import comma_list_pattern, matches_whole
from app.services import orders

STATES_PATTERN = comma_list_pattern(list(orders.LIST_STATES))


def parse_states(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    states = tuple(s.strip(" ") for s in raw.split(",") if s.strip(" "))
    unknown = [s for s in states if s not in orders.LIST_STATES]
    if unknown or not matches_whole(STATES_PATTERN, raw):
        raise Unprocessable(
            f"unknown state {', '.join(unknown)}; allowed: {', '.join(orders.LIST_STATES)}",
            errors=[{"loc": ["query", "state"], "msg": "unknown state", "type": "enum"}],
        )
    return states


async def order_filters(
    state: Annotated[
        str | None,
        Query(
            description="One or more of open, at_risk, late, done, cancelled, comma-separated",
            json_schema_extra={"pattern": STATES_PATTERN},
        ),
    ] = None,
    at_risk: bool | None = None,
    department: Annotated[
        str | None, Query(max_length=64, description="Orders with a current stage of this department")
    ] = None,
    stage: Annotated[
        str | None, Query(max_length=64, description="Orders whose current stages include this stage key")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=100, description="Text in the reference or customer name")
    ] = None,
) -> orders.OrderFilters:
    return orders.OrderFilters(parse_states(state), at_risk, department, stage, q)


OrderFiltersDep = Annotated[orders.OrderFilters, Depends(order_filters)]
