from enum import StrEnum


class Channel(StrEnum):
    CHAT = "chat"
    COUNTER = "counter"
    EMAIL = "email"
    PHONE = "phone"

    def __str__(self) -> str:
        return str(self.value)
