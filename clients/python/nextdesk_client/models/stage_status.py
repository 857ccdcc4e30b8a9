from enum import StrEnum


class StageStatus(StrEnum):
    BLOCKED = "blocked"
    CANCELLED = "cancelled"
    DONE = "done"
    IN_PROGRESS = "in_progress"
    PENDING = "pending"
    READY = "ready"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return str(self.value)
