from enum import StrEnum


class InboundResultOutcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"

    def __str__(self) -> str:
        return str(self.value)
