"""Flows and the calendars their stages work by: what the configuration's use cases read.
Each is its model, added and changed through the session; these are the statements that list them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from app.models.calendar import Calendar
from app.models.flow import Flow


def flow_keys(session: Session) -> list[str]:
    """Every flow's key, in order."""
    return list(session.exec(select(Flow.key).order_by(Flow.key)).all())


def flows(session: Session, *, ordered: bool = False) -> Sequence[Flow]:
    """Every flow (by key, if ``ordered``)."""
    query = select(Flow).order_by(Flow.key) if ordered else select(Flow)
    return session.exec(query).all()


def calendar_keys(session: Session, *, ordered: bool = False) -> list[str]:
    """Every calendar's key (in order, if ``ordered``)."""
    query = select(Calendar.key).order_by(Calendar.key) if ordered else select(Calendar.key)
    return list(session.exec(query).all())


def calendars(session: Session, *, ordered: bool = False, besides: str | None = None) -> Sequence[Calendar]:
    """Every calendar (by key, if ``ordered``), or every one but the calendar ``besides``."""
    query = select(Calendar)
    if besides is not None:
        query = query.where(Calendar.key != besides)
    if ordered:
        query = query.order_by(Calendar.key)
    return session.exec(query).all()
