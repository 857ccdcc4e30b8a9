"""Inquiries (a customer's call or message about an order): the statements that read them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from app.models.desk import Inquiry


def of_order(session: Session, order_id: int | None, limit: int) -> Sequence[Inquiry]:
    """The order's latest inquiries, newest first."""
    return session.exec(
        select(Inquiry).where(Inquiry.order_id == order_id).order_by(col(Inquiry.id).desc()).limit(limit)
    ).all()


def in_period(session: Session, start: datetime, end: datetime) -> Sequence[Inquiry]:
    """The inquiries made in [start, end)."""
    return session.exec(select(Inquiry).where(col(Inquiry.at) >= start, col(Inquiry.at) < end)).all()
