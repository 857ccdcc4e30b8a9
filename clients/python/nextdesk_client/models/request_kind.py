from enum import StrEnum


class RequestKind(StrEnum):
    CHANGE = "change"
    QUESTION = "question"

    def __str__(self) -> str:
        return str(self.value)
