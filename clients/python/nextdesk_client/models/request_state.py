from enum import StrEnum


class RequestState(StrEnum):
    ANSWERED = "answered"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
