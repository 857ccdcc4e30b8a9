from enum import StrEnum


class InquiryCategory(StrEnum):
    COMPLAINT = "complaint"
    INQUIRY = "inquiry"

    def __str__(self) -> str:
        return str(self.value)
