from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import AwareDatetime

from app.deps import AdminDep, AnyRole, ContextDep, SessionDep
from app.models.calendar import CalendarCreate, CalendarPatch, CalendarPublic, WorkingTime
from app.routers.common import problems, write_at_now
from app.services import calendars

router = APIRouter(prefix="/v1/calendars", tags=["calendars"])


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(403, 409, 422))
async def create_calendar(body: CalendarCreate, ctx: ContextDep, _: AdminDep) -> CalendarPublic:
    """Define a working calendar: time zone, weekly periods, a country's public holidays, extra
    closed and open dates, and the departments that work by it."""
    return await write_at_now(ctx, lambda session, now: calendars.create_calendar(session, body, now))


@router.get("", responses=problems())
def list_calendars(session: SessionDep, _: AnyRole) -> list[CalendarPublic]:
    return calendars.list_calendars(session)


@router.get("/{key}", responses=problems(404))
def get_calendar(key: str, session: SessionDep, _: AnyRole) -> CalendarPublic:
    return calendars.get_calendar(session, key)


@router.patch("/{key}", responses=problems(403, 404, 409, 422))
async def patch_calendar(key: str, body: CalendarPatch, ctx: ContextDep, _: AdminDep) -> CalendarPublic:
    """Change a calendar; estimates follow at each order's next write or sweep."""
    return await write_at_now(ctx, lambda session, now: calendars.patch_calendar(session, key, body, now))


@router.get("/{key}/working-time", responses=problems(404, 422))
def get_working_time(
    key: str,
    session: SessionDep,
    _: AnyRole,
    start: Annotated[
        AwareDatetime, Query(alias="from", description="The moment to count from, with its zone")
    ],
    minutes: Annotated[float, Query(ge=0, le=calendars.MAX_MINUTES, description="Working minutes")],
) -> WorkingTime:
    """When ``minutes`` of this calendar's working time after ``from`` end."""
    return calendars.working_time(session, key, start, minutes)
