"""What the event log holds right now: where it is complete from, and the newest id handed out."""

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
    #: The newest id retention removed (0 if none): below it the log has holes.
    pruned_through: int = 0

    @property
    def complete_after(self) -> int:
        """Every event after this id is still in the log."""
        return max(self.pruned_through, self.oldest - 1)

    def can_resume_after(self, cursor: int) -> bool:
        """Whether every event after ``cursor`` is still in the log (and the cursor is one of ours)."""
        return self.complete_after <= cursor <= self.head


def log_window(session: Session) -> LogWindow:
    counter = session.exec(
        select(EventCounter.last_id, EventCounter.pruned_through).where(EventCounter.id == 1)
    ).first()
    head, pruned_through = (int(counter[0]), int(counter[1])) if counter is not None else (0, 0)
    oldest = session.exec(select(func.min(Event.id))).first()
    return LogWindow(
        oldest=int(oldest) if oldest is not None else head + 1, head=head, pruned_through=pruned_through
    )


def behind_detail(cursor: int, window: LogWindow) -> str:
    """Why a reader at ``cursor`` must start again: what retention removed."""
    return (
        f"the events after {cursor} are no longer kept in full (retention removed old events of "
        f"closed orders; the log is complete after event {window.complete_after})"
    )
