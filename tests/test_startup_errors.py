"""A bad setting stops `nextdesk` with one line naming it and what it may be, exit status 2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.databases import SqliteTemplate

NEXTDESK = str(Path(sys.executable).parent / "nextdesk")
URL_RULE = "use sqlite:///path/to/file.db or postgresql://user:password@host:5432/database"


def _run(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    # Only the settings under test: none from the caller's environment or a .env file.
    env = {name: value for name, value in os.environ.items() if not name.startswith("NEXTDESK_")}
    env |= {f"NEXTDESK_{name.upper()}": value for name, value in settings.items()}
    return subprocess.run(
        [NEXTDESK, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("database_url", "nonsense", f"not a database URL; {URL_RULE}"),
        (
            "database_url",
            "mysql://shop@db.internal/nextdesk",
            f"'mysql' is not a database nextdesk runs on; {URL_RULE}",
        ),
        ("log_level", "loud", "(got 'loud'): Input should be 'debug', 'info', 'warning' or 'error'"),
        ("prune_batch_size", "-1", "(got '-1'): Input should be greater than or equal to 1"),
        ("max_body_bytes", "-5", "(got '-5'): Input should be greater than or equal to 1024"),
        ("retain_idempotency_hours", "-24", "(got '-24'): Input should be greater than 0"),
        ("retain_events_days", "soon", "(got 'soon'): Input should be a valid number"),
        ("webhook_retry_schedule", "5m,later", "'later' is not a delay; the retry schedule is a comma-"),
        ("display_timezone", "Mars/Base", "unknown time zone 'Mars/Base'; use an IANA name such as Asia/"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_and_what_it_may_be(
    tmp_path: Path, name: str, value: str, allowed: str
) -> None:
    result = _run(tmp_path, "migrate", **{name: value})
    assert result.returncode == 2
    line = _one_line(result)
    assert line.startswith(f"nextdesk: bad setting NEXTDESK_{name.upper()}"), line
    assert allowed in line
    assert result.stdout == ""
    # Nothing was started: not even the default SQLite file was made.
    assert list(tmp_path.iterdir()) == []


def test_serve_stops_on_a_bad_setting_before_it_listens(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _run(tmp_path, "serve", "--port", str(port), log_level="verbose")
    assert result.returncode == 2
    assert _one_line(result).startswith("nextdesk: bad setting NEXTDESK_LOG_LEVEL (got 'verbose')")


def test_secrets_are_never_echoed(tmp_path: Path) -> None:
    short_key = _run(tmp_path, "migrate", bootstrap_admin_key="hunter2hunter2")
    assert short_key.returncode == 2
    assert _one_line(short_key) == (
        "nextdesk: bad setting NEXTDESK_BOOTSTRAP_ADMIN_KEY: "
        "NEXTDESK_BOOTSTRAP_ADMIN_KEY must be at least 32 characters of random text"
    )
    odd_driver = _run(
        tmp_path, "migrate", database_url="postgresql+asyncpg://shop:hunter2@db.internal/nextdesk"
    )
    assert odd_driver.returncode == 2
    line = _one_line(odd_driver)
    assert "'postgresql+asyncpg' is not a database nextdesk runs on" in line
    assert "hunter2" not in line


def test_a_sqlite_file_in_a_missing_folder_is_a_bad_setting(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = _run(tmp_path, "migrate", database_url=f"sqlite:///{missing}/nextdesk.db")
    assert result.returncode == 2
    assert _one_line(result) == (
        f"nextdesk: bad setting NEXTDESK_DATABASE_URL: the folder {missing} does not exist; "
        "create it or name a SQLite file in a folder that does"
    )
    assert not missing.exists()


def test_a_database_that_cannot_be_reached_is_one_line_without_the_password(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    url = f"postgresql://shop:hunter2@127.0.0.1:{closed_port}/nextdesk"
    result = _run(tmp_path, "migrate", database_url=url)
    # Not a malformed setting: the database may simply not be up yet.
    assert result.returncode == 1
    line = _one_line(result)
    assert line.startswith(
        f"nextdesk: cannot open the database at NEXTDESK_DATABASE_URL "
        f"(postgresql://shop:***@127.0.0.1:{closed_port}/nextdesk): connection failed"
    ), line
    assert "Connection refused" in line
    assert "hunter2" not in line


def test_settings_are_read_in_any_case_and_a_good_one_starts(tmp_path: Path) -> None:
    result = _run(tmp_path, "migrate", log_level="WARNING", database_url=f"sqlite:///{tmp_path}/shop.db")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "database is at head\n"
    assert (tmp_path / "shop.db").exists()


@pytest.mark.parametrize(("level", "logged"), [("info", True), ("warning", False)])
def test_the_log_level_decides_whether_requests_are_logged(
    sqlite_template: SqliteTemplate, capfd: pytest.CaptureFixture[str], level: str, logged: bool
) -> None:
    settings = Settings(
        database_url=sqlite_template.fresh_url(),
        log_level=level,  # type: ignore[arg-type]
        gc_tuning=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
    access = [line for line in capfd.readouterr().err.splitlines() if '"path": "/healthz"' in line]
    assert bool(access) is logged
