"""What `./dev serve` prints is enough to begin: where it listens, the docs, the pages, a key."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import httpx

from tests.served import REPO, nextdesk_serve


def printed_urls(output: str) -> dict[str, str]:
    urls: dict[str, str] = {}
    for line in output.splitlines():
        for label in ("nextdesk listening on", "API docs", "the desk", "workbench"):
            if line.strip().startswith(label):
                found = re.search(r"http://[^\s;)]+", line)
                assert found, line
                urls.setdefault(label, found.group(0))
    return urls


def test_a_first_start_says_where_it_listens_and_how_to_make_the_first_key(tmp_path: Path) -> None:
    with nextdesk_serve(tmp_path, NEXTDESK_CLI_COMMAND="./dev nextdesk") as served:
        output = served.output
        urls = printed_urls(output)
        assert urls["nextdesk listening on"] == served.url
        assert httpx.get(urls["API docs"]).status_code == 200
        assert httpx.get(urls["the desk"], follow_redirects=True).status_code == 200
        assert httpx.get(urls["workbench"], follow_redirects=True).status_code == 200
        assert "No API keys exist yet" in output
        hint = next(line for line in output.splitlines() if "keys create" in line).strip()
        assert hint.startswith("./dev nextdesk keys create --role admin")

        # The hint, typed as printed from the clone's root, makes a key the running service accepts.
        made = subprocess.run(
            shlex.split(hint.replace('"your name"', '"Ani, operations"')),
            cwd=REPO,
            env=served.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        key, _ = json.JSONDecoder().raw_decode(made.stdout[made.stdout.index("{") :])
        answer = httpx.get(f"{served.url}/v1/keys", headers={"Authorization": f"Bearer {key['secret']}"})
        assert answer.status_code == 200
        assert [k["name"] for k in answer.json()] == ["Ani, operations"]


def test_the_demo_says_which_key_signs_in_to_the_desk(tmp_path: Path) -> None:
    with nextdesk_serve(tmp_path, "--demo") as served:
        output = served.output
        assert printed_urls(output)["nextdesk listening on"] == served.url
        assert "sign in to the desk with ndk_demo_agent" in output
        assert "No API keys exist yet" not in output
