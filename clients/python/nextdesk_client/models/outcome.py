from enum import StrEnum


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"

    def __str__(self) -> str:
        return str(self.value)
