"""A NEXTDESK_ variable that is almost a setting is named at start, with the setting it resembles."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.config import misspelt_settings

NEXTDESK = str(Path(sys.executable).parent / "nextdesk")


def test_a_near_miss_names_the_setting_it_resembles() -> None:
    lines = misspelt_settings({"NEXTDESK_DATABSE_URL": "postgresql://db/nextdesk", "HOME": "/root"})
    assert lines == [
        "nextdesk: NEXTDESK_DATABSE_URL is not a setting and is ignored; did you mean NEXTDESK_DATABASE_URL?"
    ]


def test_settings_spelt_right_in_any_case_and_the_tools_own_variables_pass_in_silence() -> None:
    environ = {
        "NEXTDESK_DATABASE_URL": "sqlite:///x.db",
        "nextdesk_log_level": "info",
        "NEXTDESK_CLI_COMMAND": "./dev nextdesk",
        "NEXTDESK_TEST_POSTGRES_URL": "postgresql://postgres@127.0.0.1/test",
        "NEXTDESK_VENV": ".venv",
        "NEXTDESK_PREPARED_STATEMENTS": "false",
    }
    assert misspelt_settings(environ) == []


def test_the_command_says_it_on_stderr_and_goes_on(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("NEXTDESK_")}
    env |= {
        "NEXTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'nextdesk.db'}",
        "NEXTDESK_RETAIN_EVENT_DAYS": "30",
    }
    result = subprocess.run(
        [NEXTDESK, "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (
        "nextdesk: NEXTDESK_RETAIN_EVENT_DAYS is not a setting and is ignored; "
        "did you mean NEXTDESK_RETAIN_EVENTS_DAYS?"
    ) in result.stderr.splitlines()
    assert (tmp_path / "nextdesk.db").exists()
