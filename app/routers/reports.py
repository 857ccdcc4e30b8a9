from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.deps import AgentDep, ContextDep, SessionDep
from app.domain.period import resolve_period
from app.models.desk import InquiryReport, StageReport
from app.routers.common import problems
from app.services import reports

router = APIRouter(prefix="/v1/reports", tags=["reports"])

#: Empty (the default), a date, or a time with a zone; from before to, at most 366 days apart.
DATE_OR_TIME: dict[str, Any] = {"anyOf": [{"maxLength": 0}, {"format": "date"}, {"format": "date-time"}]}

FromQuery = Annotated[
    str | None,
    Query(
        alias="from",
        max_length=40,
        description="Start: a date (2026-11-01, the business's time zone) or a time with a zone; "
        "default 30 days before `to`",
        json_schema_extra=DATE_OR_TIME,
    ),
]
ToQuery = Annotated[
    str | None,
    Query(
        max_length=40,
        description="End: a date (that whole day) or a time with a zone; default now",
        json_schema_extra=DATE_OR_TIME,
    ),
]


@router.get("/stages", responses=problems(403, 422))
def stage_report(
    session: SessionDep, ctx: ContextDep, _: AgentDep, from_: FromQuery = None, to: ToQuery = None
) -> StageReport:
    """Per stage and per department: durations (median, 90th percentile), share finished later than
    planned, overdue lapses, and the inquiries and complaints attributed to it."""
    period = resolve_period(from_, to, ctx.clock.now(), ctx.view.zone)
    return reports.stage_report(session, period)


@router.get("/inquiries", responses=problems(403, 422))
def inquiry_report(
    session: SessionDep, ctx: ContextDep, _: AgentDep, from_: FromQuery = None, to: ToQuery = None
) -> InquiryReport:
    """Inquiries and complaints per stage and department, by channel: which stage makes customers call."""
    period = resolve_period(from_, to, ctx.clock.now(), ctx.view.zone)
    return reports.inquiry_report(session, period)
