from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import JSONResponse

from app.deps import AgentDep, AnyRole, ContextDep, IdempotentWriteDep, OrderWriterDep, SessionDep, etag_for
from app.domain.errors import PreconditionRequired, Unprocessable
from app.models.common import MAX_EVENT_ID, Page, matches_whole
from app.models.ledger import PromiseLedgerPublic
from app.models.order import OrderCreate, OrderPatch, OrderPublic, OrderSummary
from app.routers.common import PageDep, problems, read_in_worker, read_quickly
from app.routers.order_filters import OrderFiltersDep
from app.services import estimates, orders

router = APIRouter(prefix="/v1/orders", tags=["orders"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=OrderPublic, responses=problems(403, 409, 422)
)
async def create_order(
    body: OrderCreate,
    principal: OrderWriterDep,
    write: IdempotentWriteDep,
) -> JSONResponse:
    """Create an order on a flow. A retry with the same `Idempotency-Key` gets the first response."""
    view = write.ctx.view
    return await write(
        principal, 201, lambda session: orders.create_order(session, body, principal, write.now, view)
    )


#: An ETag as GET answers it ("7"), weak or bare also taken; the version is what counts.
IF_MATCH_PATTERN = '^[ \\t]*(W/)?"?[0-9]{1,10}"?[ \\t]*$'


@router.get("", response_model=Page[OrderSummary], responses=problems(422))
async def list_orders(
    ctx: ContextDep,
    _: AnyRole,
    filters: OrderFiltersDep,
    page_asked: PageDep,
) -> Response:
    """Newest first; pass `next_cursor` back as `cursor` for the next page."""
    now = ctx.clock.now()
    read = read_in_worker if filters.text else read_quickly
    items, next_cursor = await read(
        ctx,
        lambda session: orders.list_orders(
            session, filters, limit=page_asked.limit, cursor=page_asked.cursor, now=now
        ),
    )
    page = Page[OrderSummary](items=items, next_cursor=next_cursor)
    # Built and checked here; serialised once rather than validated again by the framework.
    return Response(page.model_dump_json(by_alias=True), media_type="application/json")


@router.get("/{reference}", response_model=OrderPublic, responses=problems(404))
async def get_order(reference: str, ctx: ContextDep, _: AnyRole) -> Response:
    """The status view: stages, ETA against the promise, costs and a customer-ready sentence."""
    now = ctx.clock.now()
    view = await read_quickly(ctx, lambda session: orders.get_status_view(session, reference, now, ctx.view))
    # The model is built and checked by the service; serialising it once here spares the
    # framework's second validation of the answer on the most frequent request.
    return Response(
        view.model_dump_json(by_alias=True),
        media_type="application/json",
        headers={"ETag": etag_for(view.version)},
    )


def _parse_if_match(raw: str | None) -> int:
    if raw is None:
        raise PreconditionRequired(
            'changing an order needs If-Match with the ETag of the version you read, e.g. If-Match: "7"'
        )
    if not matches_whole(IF_MATCH_PATTERN, raw):
        raise Unprocessable(
            f"If-Match {raw!r} is not an ETag this service gave out; "
            "send the ETag header of GET /v1/orders/{ref}",
            errors=[{"loc": ["header", "If-Match"], "msg": "invalid ETag", "type": "value_error"}],
        )
    return int(raw.strip().removeprefix("W/").strip('"'))


@router.patch("/{reference}", responses=problems(403, 404, 409, 412, 422, 428))
async def patch_order(
    reference: str,
    body: OrderPatch,
    ctx: ContextDep,
    principal: AgentDep,
    response: Response,
    if_match: Annotated[
        str | None, Header(alias="If-Match", json_schema_extra={"pattern": IF_MATCH_PATTERN})
    ] = None,
) -> OrderPublic:
    """Change the promise date, or cancel. Needs `If-Match`; a stale version gets 412."""
    version = _parse_if_match(if_match)
    now = ctx.clock.now()
    view = await ctx.writer.run(
        lambda session: orders.patch_order(session, reference, body, version, principal, now, ctx.view)
    )
    response.headers["ETag"] = etag_for(view.version)
    return view


@router.get("/{reference}/timeline", responses=problems(404))
def order_timeline(
    reference: str,
    session: SessionDep,
    ctx: ContextDep,
    _: AnyRole,
    after: Annotated[
        int, Query(ge=0, le=MAX_EVENT_ID, description="Return the order's events with an id above this")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> dict[str, Any]:
    """The order's events, oldest first, in the same envelope as the log."""
    return orders.timeline(session, reference, after=after, limit=limit, source=ctx.view.source)


@router.get("/{reference}/estimates", responses=problems(404))
def order_estimates(reference: str, session: SessionDep, ctx: ContextDep, _: AnyRole) -> PromiseLedgerPublic:
    """The promise ledger: the promise, the current ETA and cost, and every revision of either,
    oldest first, with the stage and reason that caused it and whether it crossed the promise."""
    return estimates.promise_ledger(session, reference, ctx.clock.now(), ctx.view)
