from enum import StrEnum


class PayloadMappingStatusValuesAdditionalProperty(StrEnum):
    BLOCKED = "blocked"
    CANCELLED = "cancelled"
    DONE = "done"
    IN_PROGRESS = "in_progress"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return str(self.value)
