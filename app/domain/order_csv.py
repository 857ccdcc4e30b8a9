"""Orders as CSV: the columns, reading an import into rows or row errors, writing an export.

Pure rules: no web framework and no database. What a row must satisfy beyond its shape (the
order's own rules, a flow that exists, a reference not taken) is checked by the use case, which
names the row and column the same way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

#: The columns an import reads, in the order an export writes them first.
IMPORT_COLUMNS = (
    "reference",
    "flow",
    "customer_name",
    "customer_contact",
    "promised_at",
    "quoted_amount",
    "currency",
)
REQUIRED = frozenset({"reference", "customer_name", "promised_at", "quoted_amount", "currency"})
#: What an export adds after them: the order's state as the list shows it. An import ignores
#: these, so that an export can be imported elsewhere as it is.
EXPORT_ONLY_COLUMNS = (
    "state",
    "at_risk",
    "current_stages",
    "eta_likely_at",
    "eta_latest_at",
    "updated_at",
)
EXPORT_COLUMNS = IMPORT_COLUMNS + EXPORT_ONLY_COLUMNS

#: Where each column lands in an order's JSON body (`POST /v1/orders`), so that the order's own
#: validation errors can be named by column.
FIELD_OF_COLUMN = {
    "reference": ("reference",),
    "flow": ("flow",),
    "customer_name": ("customer", "name"),
    "customer_contact": ("customer", "contact"),
    "promised_at": ("promised_at",),
    "quoted_amount": ("quoted_cost", "amount"),
    "currency": ("quoted_cost", "currency"),
}
COLUMN_OF_FIELD = {path: column for column, path in FIELD_OF_COLUMN.items()}

DATE_RULE = (
    "a date and time: ISO 8601 (2026-12-05T12:00:00+07:00) or YYYY-MM-DD HH:MM in the business's time zone"
)
AMOUNT_RULE = "a decimal amount with a point and no thousands separator, e.g. 1250000.00"


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: ``line`` 1 is the header; ``column`` None when the line as a whole is."""

    line: int
    column: str | None
    message: str

    def as_problem_entry(self) -> dict[str, object]:
        loc: list[object] = ["body", f"line {self.line}"]
        if self.column is not None:
            loc.append(self.column)
        return {"loc": loc, "line": self.line, "column": self.column, "msg": self.message, "type": "csv_row"}

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportRow:
    """A line of the file as an order's body for `POST /v1/orders` (JSON-ready)."""

    line: int
    body: dict[str, object]

    @property
    def reference(self) -> str:
        return str(self.body["reference"])


@dataclass(frozen=True)
class ParsedImport:
    rows: list[ImportRow]
    errors: list[RowError]


class NotUtf8(ValueError):
    """The file is not UTF-8 text."""


def decode(raw: bytes) -> str:
    """The file's text; a UTF-8 byte order mark (spreadsheets write one) is dropped."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(
            f"the file is not UTF-8 (byte {exc.start + 1} cannot be read); save it as 'CSV UTF-8'"
        ) from exc


def parse_datetime(text: str, zone: ZoneInfo) -> datetime | None:
    """ISO 8601, with or without seconds; a time without an offset is in ``zone``. None if neither."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if len(text.strip()) <= len("YYYY-MM-DD"):
        return None  # a date alone names no time of day
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def parse_amount(text: str) -> Decimal | None:
    cleaned = text.strip()
    if not cleaned or "," in cleaned or "_" in cleaned or " " in cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_import(text: str, zone: ZoneInfo, *, max_rows: int) -> ParsedImport:
    """Read the whole file: every row it can, and every error it finds, each with its line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    errors: list[RowError] = []
    try:
        header = next(reader)
    except StopIteration:
        return ParsedImport([], [RowError(1, None, "the file is empty: a header line is needed")])
    except csv.Error as exc:
        return ParsedImport([], [RowError(1, None, f"not CSV: {exc}")])
    names = [h.strip().lower() for h in header]
    known = set(IMPORT_COLUMNS) | set(EXPORT_ONLY_COLUMNS)
    for name in names:
        if name not in known:
            errors.append(
                RowError(
                    1, name or None, f"unknown column '{name}'; the columns: {', '.join(IMPORT_COLUMNS)}"
                )
            )
    for name in sorted(REQUIRED - set(names)):
        errors.append(RowError(1, name, "this column is required"))
    seen_names = [n for n in names if names.count(n) > 1]
    for name in sorted(set(seen_names)):
        errors.append(RowError(1, name, "the column appears more than once"))
    if errors:
        return ParsedImport([], errors)

    rows: list[ImportRow] = []
    first_line_of: dict[str, int] = {}
    line = 1
    count = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(start, None, f"not CSV: {exc}"))
            break
        line = start
        if not any(c.strip() for c in cells):
            continue  # blank lines, as spreadsheets leave at the end
        count += 1
        if count > max_rows:
            errors.append(
                RowError(line, None, f"more than {max_rows} orders in one file (NEXTDESK_IMPORT_MAX_ROWS)")
            )
            break
        if len(cells) != len(names):
            errors.append(RowError(line, None, f"{len(cells)} cells where the header has {len(names)}"))
            continue
        row = dict(zip(names, (unescape(c.strip()) for c in cells), strict=True))
        row_errors, body = _row_body(line, row, zone)
        errors.extend(row_errors)
        reference = row.get("reference", "")
        if reference:
            if reference in first_line_of:
                errors.append(
                    RowError(line, "reference", f"'{reference}' is on line {first_line_of[reference]} too")
                )
            else:
                first_line_of[reference] = line
        if not row_errors:
            rows.append(ImportRow(line, body))
    return ParsedImport(rows, errors)


def _row_body(line: int, row: dict[str, str], zone: ZoneInfo) -> tuple[list[RowError], dict[str, object]]:
    missing = [c for c in IMPORT_COLUMNS if c in REQUIRED and not row.get(c)]
    errors = [RowError(line, c, "may not be empty") for c in missing]
    promised = None
    if row.get("promised_at"):
        promised = parse_datetime(row["promised_at"], zone)
        if promised is None:
            errors.append(RowError(line, "promised_at", f"'{row['promised_at']}' is not {DATE_RULE}"))
    amount = None
    if row.get("quoted_amount"):
        amount = parse_amount(row["quoted_amount"])
        if amount is None:
            errors.append(RowError(line, "quoted_amount", f"'{row['quoted_amount']}' is not {AMOUNT_RULE}"))
    if errors:
        return errors, {}
    customer: dict[str, object] = {"name": row["customer_name"]}
    if row.get("customer_contact"):
        customer["contact"] = row["customer_contact"]
    body: dict[str, object] = {
        "reference": row["reference"],
        "customer": customer,
        "promised_at": promised.isoformat() if promised else None,
        "quoted_cost": {"amount": str(amount), "currency": row["currency"]},
    }
    if row.get("flow"):
        body["flow"] = row["flow"]
    return [], body


def column_for(loc: Sequence[object]) -> str | None:
    """The column a validation error of an order's body points at (its ``loc``), if any."""
    path = tuple(str(part) for part in loc if part != "body")
    for length in range(len(path), 0, -1):
        if path[:length] in COLUMN_OF_FIELD:
            return COLUMN_OF_FIELD[path[:length]]
    return None


def export_header() -> str:
    return _line(EXPORT_COLUMNS)


def export_lines(rows: Iterable[Sequence[object]]) -> str:
    """CSV lines for rows of values in EXPORT_COLUMNS order (None as an empty cell)."""
    return "".join(_line(row) for row in rows)


def _line(values: Sequence[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(["" if v is None else _cell(v) for v in values])
    return out.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    text = str(value)
    # A cell a spreadsheet would run as a formula is written as text (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    return parse_amount(text) is not None


def unescape(cell: str) -> str:
    """A cell an export protected from running as a formula ('=..., '+...) reads as it was."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell
