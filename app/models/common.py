"""Schemas shared by every part of the API."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

T = TypeVar("T")

MAX_AMOUNT = Decimal("1e15")


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
AwareDatetime = Annotated[datetime, AfterValidator(_check_aware)]


class Money(BaseModel):
    """Money is a decimal string with a currency, never a float."""

    model_config = ConfigDict(extra="forbid", strict=False)

    amount: Amount
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. IDR", examples=["IDR"])

    @classmethod
    def of(cls, amount: Decimal | None, currency: str) -> Money | None:
        return None if amount is None else cls(amount=amount, currency=currency)


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
