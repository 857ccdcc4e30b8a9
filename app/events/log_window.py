"""What the event log holds right now: the oldest kept event and the newest id handed out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from app.models.event import Event, EventCounter


@dataclass(frozen=True)
class LogWindow:
    #: The lowest id still kept (``head + 1`` when the log is empty).
    oldest: int
    #: The highest id ever committed; ids are never reused, even after pruning.
    head: int

    def can_resume_after(self, cursor: int) -> bool:
        """Whether every event after ``cursor`` is still in the log (and the cursor is one of ours)."""
        return self.oldest - 1 <= cursor <= self.head


def log_window(session: Session) -> LogWindow:
    head = session.exec(select(EventCounter.last_id).where(EventCounter.id == 1)).first() or 0
    oldest = session.exec(select(func.min(Event.id))).first()
    return LogWindow(oldest=int(oldest) if oldest is not None else head + 1, head=int(head))
