from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from app.domain.order_csv import export_header, export_lines, parse_import

JAKARTA = ZoneInfo("Asia/Jakarta")
HEADER = "reference,flow,customer_name,customer_contact,promised_at,quoted_amount,currency\n"


def parse(text: str, max_rows: int = 100) -> tuple[list[dict[str, object]], list[str]]:
    parsed = parse_import(text, JAKARTA, max_rows=max_rows)
    return [r.body for r in parsed.rows], [str(e) for e in parsed.errors]


def test_a_local_time_is_in_the_business_zone_and_an_offset_is_kept() -> None:
    rows, errors = parse(
        HEADER
        + "SO-1,standard,Toko Maju,,2026-12-20 12:00,1250000.00,IDR\n"
        + "SO-2,,Toko Maju,,2026-12-20T05:00:00Z,10,IDR\n"
    )
    assert errors == []
    assert rows[0]["promised_at"] == "2026-12-20T12:00:00+07:00"
    assert rows[1]["promised_at"] == "2026-12-20T05:00:00+00:00"
    assert "flow" not in rows[1]  # the default flow
    assert rows[0]["quoted_cost"] == {"amount": "1250000.00", "currency": "IDR"}


def test_each_bad_cell_is_named_by_line_and_column() -> None:
    _, errors = parse(
        HEADER
        + "SO-1,standard,Toko Maju,,tomorrow,1250000.00,IDR\n"
        + 'SO-2,standard,,,2026-12-20 12:00,"1,250,000",IDR\n'
        + "SO-1,standard,Toko Maju,,2026-12-20,5,IDR\n"
    )
    assert errors == [
        "line 2, promised_at: 'tomorrow' is not a date and time: ISO 8601 (2026-12-05T12:00:00+07:00) "
        "or YYYY-MM-DD HH:MM in the business's time zone",
        "line 3, customer_name: may not be empty",
        "line 3, quoted_amount: '1,250,000' is not a decimal amount with a point and no thousands "
        "separator, e.g. 1250000.00",
        "line 4, promised_at: '2026-12-20' is not a date and time: ISO 8601 (2026-12-05T12:00:00+07:00) "
        "or YYYY-MM-DD HH:MM in the business's time zone",
        "line 4, reference: 'SO-1' is on line 2 too",
    ]


def test_the_header_must_name_known_columns_and_every_required_one() -> None:
    _, errors = parse("reference,customer,promised_at\nSO-1,x,2026-12-20 12:00\n")
    assert errors[0].startswith("line 1, customer: unknown column 'customer'; the columns: reference, flow,")
    assert [e.split(":")[0] for e in errors] == [
        "line 1, customer",
        "line 1, currency",
        "line 1, customer_name",
        "line 1, quoted_amount",
    ]


def test_a_spreadsheets_byte_order_mark_blank_lines_and_quoted_commas_are_fine() -> None:
    from app.domain.order_csv import decode

    text = decode(
        ("\ufeff" + HEADER + 'SO-1,,"Maju, Toko",,2026-12-20 12:00,1.5,IDR\r\n\r\n,,,,,,\n').encode()
    )
    rows, errors = parse(text)
    assert errors == []
    assert [r["customer"] for r in rows] == [{"name": "Maju, Toko"}]


def test_a_file_longer_than_the_limit_is_refused_at_the_first_row_too_many() -> None:
    _, errors = parse(HEADER + "".join(f"SO-{n},,T,,2026-12-20 12:00,1,IDR\n" for n in range(5)), max_rows=3)
    assert errors == ["line 5: more than 3 orders in one file (NEXTDESK_IMPORT_MAX_ROWS)"]


def test_a_line_with_too_few_cells_is_named() -> None:
    _, errors = parse(HEADER + "SO-1,standard,Toko\n")
    assert errors == ["line 2: 3 cells where the header has 7"]


def test_an_export_reads_back_as_the_same_orders() -> None:
    promised = datetime(2026, 12, 20, 5, 0, tzinfo=UTC).astimezone(JAKARTA)
    text = export_header() + export_lines(
        [
            ("SO-1", "standard", "=Toko", "+62 21 555 0100", promised, "1250000.00", "IDR")
            + ("open", False, ["assembly"], None, None, promised)
        ]
    )
    assert text.splitlines()[1].startswith("SO-1,standard,'=Toko,'+62 21 555 0100,2026-12-20T12:00:00+07:00,")
    rows, errors = parse(text)
    assert errors == []
    assert rows == [
        {
            "reference": "SO-1",
            "flow": "standard",
            "customer": {"name": "=Toko", "contact": "+62 21 555 0100"},
            "promised_at": "2026-12-20T12:00:00+07:00",
            "quoted_cost": {"amount": "1250000.00", "currency": "IDR"},
        }
    ]
