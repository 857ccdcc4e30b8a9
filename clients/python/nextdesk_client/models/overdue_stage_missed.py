from enum import StrEnum


class OverdueStageMissed(StrEnum):
    FINISH = "finish"
    UPDATE = "update"

    def __str__(self) -> str:
        return str(self.value)
