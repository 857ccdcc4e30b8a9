"""Orders in and out as CSV: `POST /v1/orders/import` and `GET /v1/orders/export`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse

from app.deps import AgentDep, ContextDep, IdempotentWriteDep
from app.domain.errors import Unprocessable, UnsupportedMediaType
from app.domain.order_csv import (
    EXPORT_COLUMNS,
    IMPORT_COLUMNS,
    REQUIRED,
    NotUtf8,
    decode,
    export_header,
    parse_import,
)
from app.models.order import OrderImport
from app.routers.common import problems, read_in_worker
from app.routers.order_filters import OrderFiltersDep
from app.services import order_csv

router = APIRouter(prefix="/v1/orders", tags=["orders"])

EXAMPLE = (
    "reference,flow,customer_name,customer_contact,promised_at,quoted_amount,currency\r\n"
    "SO-2001,standard,Toko Maju,+62 21 555 0100,2026-12-20 12:00,1250000.00,IDR\r\n"
)
COLUMNS_TEXT = (
    f"Columns (a header line names them, in any order): {', '.join(IMPORT_COLUMNS)}; required: "
    f"{', '.join(c for c in IMPORT_COLUMNS if c in REQUIRED)}. `promised_at`: ISO 8601, or "
    "`YYYY-MM-DD HH:MM` in the business's time zone; `quoted_amount`: a decimal with a point. "
    "UTF-8, a byte order mark allowed; the export's extra columns are ignored."
)


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderImport,
    responses={
        200: {"model": OrderImport, "description": "Dry run: every row checked, nothing created"},
        **problems(403, 413, 415, 422),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}, "example": EXAMPLE}},
        }
    },
    description=(
        "Create orders from a CSV file, all of them or none: a 422 problem lists each bad row "
        "and column (`errors[].line`, `errors[].column`). " + COLUMNS_TEXT
    ),
)
async def import_orders(
    request: Request,
    principal: AgentDep,
    write: IdempotentWriteDep,
    dry_run: Annotated[bool, Query(description="Check every row, create nothing (answers 200)")] = False,
) -> JSONResponse:
    ctx = write.ctx
    media, _, params = request.headers.get("content-type", "").partition(";")
    given = params.strip().lower()
    charset = given.removeprefix("charset=").strip('"') if given.startswith("charset=") else ""
    if media.strip().lower() != "text/csv" or charset not in ("", "utf-8", "utf8"):
        raise UnsupportedMediaType(
            "send the file as Content-Type: text/csv, in UTF-8",
            errors=[{"loc": ["header", "Content-Type"], "msg": "expected text/csv", "type": "media_type"}],
        )
    try:
        text = decode(await request.body())
    except NotUtf8 as exc:
        problem = [{"loc": ["body"], "msg": str(exc), "type": "encoding"}]
        raise Unprocessable(str(exc), errors=problem) from exc
    parsed = await run_in_threadpool(parse_import, text, ctx.view.zone, max_rows=ctx.settings.import_max_rows)
    now = write.now
    if dry_run:
        # A dry run changes nothing, so there is nothing to replay.
        write = replace(write, raw_key=None)
    return await write(
        principal,
        status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED,
        lambda session: order_csv.import_orders(session, parsed, principal, now, ctx.view, dry_run=dry_run),
    )


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The orders as CSV"},
        **problems(403, 422),
    },
    description=(
        "The orders the list's filters select, newest first, as CSV (streamed: any number of orders "
        f"in constant memory). Columns: {', '.join(EXPORT_COLUMNS)}; dates in the business's time "
        "zone. The file imports as it is into `POST /v1/orders/import`."
    ),
)
async def export_orders(
    ctx: ContextDep,
    _: AgentDep,
    filters: OrderFiltersDep,
) -> StreamingResponse:
    now = ctx.clock.now()
    zone = ctx.view.zone

    async def lines() -> AsyncIterator[str]:
        yield "\ufeff" + export_header()  # a byte order mark, so spreadsheets read UTF-8
        cursor: str | None = None
        while True:
            page, cursor = await read_in_worker(
                ctx,
                lambda session, after=cursor: order_csv.export_page(  # type: ignore[misc]
                    session, filters, cursor=after, now=now, zone=zone
                ),
            )
            yield page
            if cursor is None:
                return

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="orders.csv"'},
    )
