"""Schemas shared by every part of the API."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

T = TypeVar("T")

MAX_AMOUNT = Decimal("1e15")
#: What a request may write as an amount: 0 or more, up to 15 digits before the point and 4 after.
AMOUNT_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,4})?$"
_AMOUNT_TEXT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,4})?")
#: Event ids are 64-bit (BIGINT) in the database; the API caps them at the largest integer a JSON
#: number holds exactly (2^53 - 1), so every client, JavaScript included, reads them right.
MAX_EVENT_ID = 2**53 - 1
#: Versions and other counters are 32-bit integers in the database.
MAX_INT32 = 2**31 - 1


def _amount_is_text(value: Any) -> Any:
    if isinstance(value, float | int) and not isinstance(value, bool):
        raise ValueError('amount must be a decimal string such as "150000.00", not a JSON number')
    return value


def _check_amount(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("amount must be a finite decimal number")
    if abs(value) >= MAX_AMOUNT:
        raise ValueError("amount must be below 1,000,000,000,000,000")
    if -value.as_tuple().exponent > 4:  # type: ignore[operator]
        raise ValueError("amount may have at most 4 decimal places")
    return value


def comma_list_pattern(values: list[str]) -> str:
    """The pattern of a comma-separated list of these values (spaces around commas, empty items ok)."""
    choice = "|".join(re.escape(value).replace("\\*", "\\*") for value in values)
    return f"^[ ,]*(?:(?:{choice}) *(?:,[ ,]*|$))*$"


def matches_whole(pattern: str, text: str) -> bool:
    """Whether ``text`` matches a document pattern the way JSON Schema reads it (``$`` is the end)."""
    return re.fullmatch(pattern.removeprefix("^").removesuffix("$"), text) is not None


def _check_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a time zone is required, e.g. 2026-11-26T12:00:00+07:00 or ...Z")
    # Stored and answered in UTC, so the same instant always reads the same in every response.
    return value.astimezone(UTC)


Amount = Annotated[
    Decimal,
    BeforeValidator(_amount_is_text),
    AfterValidator(_check_amount),
    PlainSerializer(lambda v: f"{v:.2f}" if -v.as_tuple().exponent <= 2 else str(v), return_type=str),
    Field(description='A decimal number written as a string, e.g. "1250000.00"', examples=["1250000.00"]),
]


def _time_is_text(value: Any) -> Any:
    # JSON has no time type: a number would be read as seconds since 1970, which no client means.
    if isinstance(value, int | float):
        raise ValueError("a time is written as ISO 8601 text, e.g. 2026-11-26T12:00:00+07:00")
    return value


AwareDatetime = Annotated[datetime, BeforeValidator(_time_is_text), AfterValidator(_check_aware)]


def _amount_in(value: Any) -> Any:
    # Built by the service from stored decimals (a Decimal), or sent by a client (text only).
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        raise ValueError('amount must be a decimal string such as "150000.00", not a JSON number')
    if value.strip().startswith("-"):
        raise ValueError(f"amount must be 0 or more, not {value!r}: costs are never negative")
    if not _AMOUNT_TEXT.fullmatch(value):
        raise ValueError(
            f"amount {value!r} is not a decimal string of 0 or more with at most 15 digits before the "
            'point and 4 after, such as "150000.00"'
        )
    return Decimal(value)


AmountIn = Annotated[
    Decimal,
    BeforeValidator(_amount_in),
    PlainSerializer(lambda v: f"{v:.2f}" if -v.as_tuple().exponent <= 2 else str(v), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": AMOUNT_PATTERN,
            "description": (
                'A decimal number of 0 or more written as a string, e.g. "1250000.00": at most 15 '
                "digits before the point and 4 after; never a JSON number, never negative"
            ),
            "examples": ["1250000.00"],
        },
        mode="validation",
    ),
]


class Money(BaseModel):
    """Money is a decimal string with a currency, never a float."""

    model_config = ConfigDict(extra="forbid", strict=False)

    amount: Amount
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. IDR", examples=["IDR"])

    @classmethod
    def of(cls, amount: Decimal | None, currency: str) -> Money | None:
        return None if amount is None else cls(amount=amount, currency=currency)


class MoneyIn(Money):
    """Money as a request gives it: a non-negative decimal string with a currency."""

    amount: AmountIn


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, object]] | None = None


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; absent on the last page."
    )
