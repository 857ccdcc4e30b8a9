"""Orders in and out as CSV, over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings, get_settings
from app.main import create_app
from tests.databases import PostgresTemplate, SqliteTemplate
from tests.support import Api, bearer, make_keys

HEADER = "reference,flow,customer_name,customer_contact,promised_at,quoted_amount,currency\n"


def post_csv(
    api: Api,
    text: str | bytes,
    *,
    query: str = "",
    content_type: str = "text/csv",
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return api.client.post(
        f"/v1/orders/import{query}",
        content=text.encode() if isinstance(text, str) else text,
        headers={**bearer(key or api.keys.agent), "Content-Type": content_type, **(headers or {})},
    )


def references(api: Api) -> list[str]:
    page = api.get("/v1/orders", params={"limit": 200}).json()
    return sorted(o["reference"] for o in page["items"])


def exported(api: Api, **params: Any) -> list[dict[str, str]]:
    response = api.get("/v1/orders/export", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_an_import_creates_every_order_and_the_desk_sees_them(api: Api) -> None:
    answer = post_csv(
        api,
        HEADER
        + "SO-2001,standard,Toko Maju,+62 21 555 0100,2026-12-20 12:00,1250000.00,IDR\n"
        + "SO-2002,,CV Sinar Jaya,,2026-12-21T09:30:00+07:00,450000,IDR\n",
    )
    assert answer.status_code == 201, answer.text
    assert answer.json() == {
        "dry_run": False,
        "rows": 2,
        "created": 2,
        "references": ["SO-2001", "SO-2002"],
    }
    view = api.get("/v1/orders/SO-2001").json()
    assert view["promised_at"] == "2026-12-20T05:00:00Z"  # noon in Jakarta
    assert view["customer"] == {"name": "Toko Maju", "contact": "+62 21 555 0100"}
    assert view["current_stages"] == ["assembly"]
    assert api.event_types("SO-2002")[:2] == ["order.created", "stage.ready"]


def test_one_bad_row_and_nothing_is_created_each_error_named(api: Api) -> None:
    api.create_order("SO-2003")
    answer = post_csv(
        api,
        HEADER
        + "SO-2001,standard,Toko Maju,,2026-12-20 12:00,1250000.00,IDR\n"
        + "SO-2002,nope,Toko Maju,,2026-12-20 12:00,1250000.00,IDR\n"
        + "SO-2003,standard,Toko Maju,,2026-12-20 12:00,1250000.00,IDR\n"
        + "SO/2004,standard,Toko Maju,,2026-12-20 12:00,-5,idr\n",
    )
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    assert problem["detail"].startswith("nothing was imported: ")
    named = [(e["line"], e["column"]) for e in problem["errors"]]
    assert named == [
        (3, "flow"),
        (4, "reference"),
        (5, "currency"),
        (5, "quoted_amount"),
        (5, "reference"),
    ]
    assert references(api) == ["SO-2003"]


def test_a_dry_run_checks_everything_and_creates_nothing(api: Api) -> None:
    text = HEADER + "SO-2001,standard,Toko Maju,,2026-12-20 12:00,1250000.00,IDR\n"
    answer = post_csv(api, text, query="?dry_run=true")
    assert answer.status_code == 200
    assert answer.json()["created"] == 0
    assert answer.json()["references"] == ["SO-2001"]
    assert references(api) == []
    assert post_csv(api, text).status_code == 201


def test_a_retry_with_the_same_key_gets_the_first_answer_and_creates_nothing_more(api: Api) -> None:
    text = HEADER + "SO-2001,standard,Toko Maju,,2026-12-20 12:00,1250000.00,IDR\n"
    key = {"Idempotency-Key": "erp-import-0001"}
    first = post_csv(api, text, headers=key)
    again = post_csv(api, text, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    other = post_csv(api, text.replace("SO-2001", "SO-2009"), headers=key)
    assert other.status_code == 422
    assert references(api) == ["SO-2001"]


def test_only_csv_is_taken(api: Api) -> None:
    answer = post_csv(api, '{"reference": "SO-1"}', content_type="application/json")
    assert answer.status_code == 415
    assert "text/csv" in answer.json()["detail"]
    latin = post_csv(
        api, HEADER + "SO-1,,Caf\xe9,,2026-12-20 12:00,1,IDR\n", content_type="text/csv; charset=latin-1"
    )
    assert latin.status_code == 415
    not_utf8 = post_csv(api, (HEADER + "SO-1,,Caf\xe9,,2026-12-20 12:00,1,IDR\n").encode("latin-1"))
    assert not_utf8.status_code == 422
    assert "UTF-8" in not_utf8.json()["detail"]
    assert references(api) == []


def test_technicians_may_not_import(api: Api) -> None:
    text = HEADER + "SO-2001,standard,Toko Maju,,2026-12-20 12:00,1250000.00,IDR\n"
    assert post_csv(api, text, key=api.keys.assembly).status_code == 403
    assert post_csv(api, text, key=api.keys.admin).status_code == 201


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings: Settings) -> None:
    small = settings.model_copy(update={"import_max_bytes": 2048})
    with TestClient(create_app(small), raise_server_exceptions=False) as client:
        keys = make_keys(client.app.state.ctx)  # type: ignore[attr-defined]
        rows = "".join(f"SO-{n},,Toko Maju,,2026-12-20 12:00,1,IDR\n" for n in range(100))
        answer = client.post(
            "/v1/orders/import",
            content=(HEADER + rows).encode(),
            headers={**bearer(keys.agent), "Content-Type": "text/csv"},
        )
        assert answer.status_code == 413
        assert "NEXTDESK_IMPORT_MAX_BYTES" in answer.json()["detail"]
        # By default an import may be larger than any other request.
        assert settings.import_max_bytes > settings.max_body_bytes


@pytest.fixture
def another_database(
    settings: Settings, sqlite_template: SqliteTemplate, postgres_template: PostgresTemplate | None
) -> Iterator[Settings]:
    """An empty database of the same kind as the test's."""
    if settings.database_url.startswith("postgresql"):
        assert postgres_template is not None
        url = postgres_template.fresh_url()
        try:
            yield settings.model_copy(update={"database_url": url})
        finally:
            postgres_template.release(url)
    else:
        yield settings.model_copy(update={"database_url": sqlite_template.fresh_url()})


def test_an_export_selects_as_the_list_does_and_imports_into_another_database(
    api: Api, another_database: Settings
) -> None:
    api.create_order("SO-3001", customer="Toko Maju")
    api.create_order("SO-3002", customer="=SUM(A1)", quoted="450000.00")
    api.update("SO-3002", "assembly", status="in_progress")
    api.update(
        "SO-3002", "assembly", status="blocked", reason="waiting_parts", remaining_minutes=60 * 24 * 10
    )
    rows = exported(api)
    assert [r["reference"] for r in rows] == ["SO-3002", "SO-3001"]  # newest first, as the list
    assert rows[0]["customer_name"] == "'=SUM(A1)"  # a spreadsheet shows it, never runs it
    assert rows[0]["state"] == "at_risk"
    assert rows[0]["current_stages"] == "assembly"
    assert [r["reference"] for r in exported(api, at_risk="true")] == ["SO-3002"]
    assert [r["quoted_amount"] for r in exported(api, q="SO-3001")] == ["1250000.00"]

    text = api.get("/v1/orders/export").content
    with TestClient(create_app(another_database, clock=api.clock)) as elsewhere:
        agent = make_keys(elsewhere.app.state.ctx).agent  # type: ignore[attr-defined]
        answer = elsewhere.post(
            "/v1/orders/import", content=text, headers={**bearer(agent), "Content-Type": "text/csv"}
        )
        assert answer.status_code == 201, answer.text
        for reference in ("SO-3001", "SO-3002"):
            here = api.get(f"/v1/orders/{reference}").json()
            there = elsewhere.get(f"/v1/orders/{reference}", headers=bearer(agent)).json()
            for field in ("reference", "flow", "customer", "promised_at"):
                assert there[field] == here[field]
            assert there["cost"]["quoted"] == here["cost"]["quoted"]


def test_an_export_streams_every_page(api: Api) -> None:
    body = HEADER + "".join(f"SO-{n},,Toko {n},,2026-12-20 12:00,{n}.00,IDR\n" for n in range(1, 1202))
    assert post_csv(api, body).status_code == 201
    rows = exported(api)
    assert len(rows) == 1201
    assert len({r["reference"] for r in rows}) == 1201
    assert rows[0]["reference"] == "SO-1201"


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NEXTDESK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def test_the_command_line_imports_and_exports_the_same_way(cli_env: str, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "SO-4001,standard,Toko Maju,,someday,10,IDR\n")
    refused = runner.invoke(cli, ["orders", "import", str(bad)])
    assert refused.exit_code == 1
    assert "line 2, promised_at: 'someday' is not a date and time" in refused.output

    good = tmp_path / "orders.csv"
    good.write_text(HEADER + "SO-4001,standard,Toko Maju,,2026-12-20 12:00,10.50,IDR\n")
    checked = runner.invoke(cli, ["orders", "import", str(good), "--dry-run"])
    assert checked.exit_code == 0, checked.output
    assert "1 orders checked; nothing created" in checked.output
    made = runner.invoke(cli, ["orders", "import", str(good)])
    assert made.exit_code == 0, made.output
    assert "created 1 orders" in made.output

    out = tmp_path / "export.csv"
    exported_ = runner.invoke(cli, ["orders", "export", "--output", str(out), "--state", "open"])
    assert exported_.exit_code == 0, exported_.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["reference"], r["quoted_amount"], r["promised_at"]) for r in rows] == [
        ("SO-4001", "10.50", "2026-12-20T12:00:00+07:00")
    ]
