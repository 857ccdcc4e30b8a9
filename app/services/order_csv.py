"""Orders in and out as CSV: one import is one transaction, all of it or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from app.db import Session
from app.domain.access import Principal
from app.domain.errors import DomainError, NotFound, Unprocessable
from app.domain.order_csv import (
    ImportRow,
    ParsedImport,
    RowError,
    column_for,
    export_lines,
)
from app.models.order import OrderCreate, OrderImport
from app.repositories.orders.lists import references_taken
from app.services.flows import load_flow
from app.services.orders import OrderFilters, add_order, order_page, summaries
from app.settings_view import ViewSettings

#: Rows per query when looking up references already taken (well under both databases' limit on
#: bound parameters).
LOOKUP_CHUNK = 500
#: Errors listed in one answer; the detail says how many more there were.
MAX_LISTED_ERRORS = 1000
#: Orders per page of an export: each page is one short read, so the export runs in constant memory.
EXPORT_PAGE = 500


def import_orders(
    session: Session,
    parsed: ParsedImport,
    principal: Principal,
    now: datetime,
    view: ViewSettings,
    *,
    dry_run: bool,
) -> OrderImport:
    """Check every row; create them all, or none when any is wrong (a 422 naming each)."""
    checked, errors = _checked(session, parsed.rows)
    errors = sorted([*parsed.errors, *errors], key=lambda e: (e.line, e.column or ""))
    if errors:
        raise _refused(errors)
    if not dry_run:
        for line, body in checked:
            try:
                add_order(session, body, principal, now, view)
            except DomainError as exc:
                # Checked above; a rule of add_order's own that the checks did not foresee.
                raise _refused([RowError(line, None, exc.detail)]) from exc
    return OrderImport(
        dry_run=dry_run,
        rows=len(checked),
        created=0 if dry_run else len(checked),
        references=[body.reference for _, body in checked],
    )


def _checked(session: Session, rows: list[ImportRow]) -> tuple[list[tuple[int, OrderCreate]], list[RowError]]:
    errors: list[RowError] = []
    bodies: list[tuple[int, OrderCreate]] = []
    for row in rows:
        try:
            bodies.append((row.line, OrderCreate.model_validate(row.body)))
        except ValidationError as exc:
            for error in exc.errors():
                errors.append(RowError(row.line, column_for(error["loc"]), error["msg"]))
    flows: dict[str, str | None] = {}
    for _, body in bodies:
        if body.flow in flows:
            continue
        try:
            flow = load_flow(session, body.flow)
        except NotFound:
            flows[body.flow] = None
            continue
        currencies = {s.planned_cost.currency for s in flow.stages.values() if s.planned_cost}
        flows[body.flow] = currencies.pop() if len(currencies) == 1 else ""
    taken = _taken(session, [body.reference for _, body in bodies])
    for line, body in bodies:
        if body.flow in flows and flows[body.flow] is None:
            errors.append(RowError(line, "flow", f"no flow '{body.flow}'"))
        elif (planned := flows.get(body.flow)) and planned != body.quoted_cost.currency:
            errors.append(
                RowError(line, "currency", f"flow '{body.flow}' plans its costs in {planned}: quote in it")
            )
        if body.reference in taken:
            errors.append(RowError(line, "reference", f"an order '{body.reference}' already exists"))
    return bodies, errors


def _taken(session: Session, references: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(references), LOOKUP_CHUNK):
        taken.update(references_taken(session, references[start : start + LOOKUP_CHUNK]))
    return taken


def _refused(errors: list[RowError]) -> Unprocessable:
    lines = sorted({e.line for e in errors})
    listed = errors[:MAX_LISTED_ERRORS]
    more = f" ({len(errors) - len(listed)} more not listed)" if len(errors) > len(listed) else ""
    first = "; ".join(str(e) for e in errors[:3])
    return Unprocessable(
        f"nothing was imported: {len(errors)} error(s) on {len(lines)} line(s){more}. {first}",
        errors=[e.as_problem_entry() for e in listed],
    )


def export_page(
    session: Session, filters: OrderFilters, *, cursor: str | None, now: datetime, zone: ZoneInfo
) -> tuple[str, str | None]:
    """One page of the export as CSV lines (no header), and the cursor of the next, if any."""
    rows, next_cursor = order_page(session, filters, limit=EXPORT_PAGE, cursor=cursor, now=now)
    views = summaries(session, rows, now)

    def local(value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(zone)

    lines: Iterable[tuple[object, ...]] = (
        (
            row.reference,
            row.flow_key,
            row.customer_name,
            row.customer_contact,
            local(row.promised_at),
            row.quoted_amount,
            row.currency,
            view.state,
            view.at_risk,
            view.current_stages,
            local(view.eta_likely_at),
            local(view.eta_latest_at),
            local(row.updated_at),
        )
        for row, view in zip(rows, views, strict=True)
    )
    return export_lines(lines), next_cursor
