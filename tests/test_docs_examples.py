"""The README's and docs/'s examples, run as a reader runs them, against a real demo server.

Each file's ```sh and ```python blocks run in order in one shell (variables carry over, as in a
reader's terminal), in a folder of their own, against `nextdesk serve --demo` started for that
file. Only the address differs: 127.0.0.1:8000 becomes the server's free port. A request answered
with 4xx or 5xx, a command that fails, or a variable never set fails the test, naming the block.
A block is left out only when the line before it says `<!-- docs-test: skip, <why> -->`.
`./dev serve ...` in a block starts the real service on a spare port and database, waits for it to
answer, and stops it: the file's own demo server is already running.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.served import REPO, Served, nextdesk_serve

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
RUN = {"sh": "sh", "bash": "sh", "shell": "sh", "python": "python"}
SKIP = re.compile(r"^<!-- docs-test: skip, (?P<why>.+\S) -->$")
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\s*$")
#: What a file tells its reader to start the demo with, beyond `./dev serve --demo`.
SERVER_ENV = {"webhooks.md": {"NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS": "true"}}

# The reader's terminal, but strict: a failed command, an unset variable or an HTTP error stops it.
PREAMBLE = r"""set -euo pipefail
curl() {
    case " $* " in
        # A stream never ends: three seconds of it (curl's exit 28) is what the example shows.
        *" -N "*) command curl --fail-with-body --show-error --max-time 3 "$@" || [ $? -eq 28 ] ;;
        *) command curl --fail-with-body --show-error --max-time 60 "$@" ;;
    esac
}
"""

DEV_WRAPPER = r"""#!/usr/bin/env bash
# ./dev as the docs type it. `serve` starts the real service on a spare port with a database of
# its own, waits until /healthz answers, and stops it; everything else is the clone's ./dev.
set -euo pipefail
if [ "${1:-}" != serve ]; then
    exec "$NEXTDESK_REPO/dev" "$@"
fi
shift
spare="$(mktemp -d "$PWD/serve.XXXXXX")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
NEXTDESK_DATABASE_URL="sqlite:///$spare/nextdesk.db" "$NEXTDESK_REPO/dev" serve "$@" --port "$port" \
    >"$spare/log" 2>&1 &
pid=$!
for _ in $(seq 1200); do
    if command curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; then
        kill "$pid"
        wait "$pid" || true
        echo "./dev serve $*: answered, then stopped"
        exit 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        cat "$spare/log" >&2
        exit 1
    fi
    sleep 0.1
done
kill "$pid"
cat "$spare/log" >&2
exit 1
"""


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    lang: str
    text: str
    skip: str | None

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    found: list[Block] = []
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence is None:
            i += 1
            continue
        start = i
        i += 1
        while i < len(lines) and lines[i] != "```":
            i += 1
        marker = SKIP.match(lines[start - 1]) if start > 0 else None
        why = marker["why"] if marker else None
        if path.name == "README.md" and not found:
            # The README opens with its two commands and nothing above them: serving the demo is
            # what this test does itself, and the whole suite is what runs it.
            why = "the README's two commands: serve the demo, run the whole suite"
        text = "\n".join(lines[start + 1 : i])
        found.append(Block(path, start + 1, fence["lang"], text, why))
        i += 1
    return found


def runnable(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.lang in RUN and b.skip is None]


def script(path: Path, port: int) -> str:
    parts = [PREAMBLE]
    for block in runnable(path):
        text = block.text.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        parts.append(f"echo '>>> {block.where}' >&2")
        if RUN[block.lang] == "sh":
            parts.append(text)
        else:
            assert "DOCS_PYTHON_BLOCK" not in text
            parts.append(f"\"$DOCS_PYTHON\" - <<'DOCS_PYTHON_BLOCK'\n{text}\nDOCS_PYTHON_BLOCK")
    return "\n".join(parts) + "\n"


def run_examples(path: Path, tmp_path: Path) -> Served:
    """Run the file's examples; the server stays up for the caller's checks until the end of the test."""
    extra = SERVER_ENV.get(path.name, {})
    with nextdesk_serve(tmp_path, "--demo", **extra) as served:
        (tmp_path / "dev").write_text(DEV_WRAPPER)
        (tmp_path / "dev").chmod(0o755)
        (tmp_path / "examples.sh").write_text(script(path, served.port))
        env = dict(served.env, NEXTDESK_REPO=str(REPO), DOCS_PYTHON=sys.executable)
        done = subprocess.run(
            ["bash", "examples.sh"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900
        )
        if done.returncode != 0:
            ran = re.findall(r"^>>> (.+)$", done.stderr, re.MULTILINE)
            pytest.fail(
                f"the example at {ran[-1] if ran else path.name} failed (exit {done.returncode}):\n"
                f"--- stdout (end)\n{done.stdout[-3000:]}\n--- stderr (end)\n{done.stderr[-3000:]}"
            )
        check = CHECKS.get(path.name)
        if check is not None:
            check(served)
        return served


def readme_says_what_it_shows(served: Served) -> None:
    agent = {"Authorization": "Bearer ndk_demo_agent"}
    order = httpx.get(f"{served.url}/v1/orders/SO-1042", headers=agent).json()
    # "blocks it waiting for a part ... too late for finance and shipping to follow in time"
    assert order["state"] == "at_risk"
    assert order["eta"]["minutes_past_promise"] > 0
    assert [s["status"] for s in order["stages"]][0] == "blocked"
    timeline = httpx.get(f"{served.url}/v1/orders/SO-1042/timeline", headers=agent).json()["items"]
    assert "stage.blocked" in [e["type"] for e in timeline]
    # "orders at risk ...: the desk's At risk queue"
    listed = httpx.get(f"{served.url}/v1/orders", params={"at_risk": "true", "limit": 200}, headers=agent)
    queue = httpx.get(f"{served.url}/v1/queues", headers=agent).json()["at_risk"]
    assert {o["reference"] for o in listed.json()["items"]} == {i["order"]["reference"] for i in queue}


CHECKS: dict[str, Callable[[Served], None]] = {"README.md": readme_says_what_it_shows}


@pytest.mark.parametrize("path", [p for p in DOCS if runnable(p)], ids=lambda p: p.name)
def test_the_examples_work_today(path: Path, tmp_path: Path) -> None:
    run_examples(path, tmp_path)


def test_every_left_out_example_says_why() -> None:
    for path in DOCS:
        lines = path.read_text().splitlines()
        for n, line in enumerate(lines):
            if "docs-test" in line:
                assert SKIP.match(line), f"{path.name}:{n + 1}: write <!-- docs-test: skip, <why> -->"
                following = lines[n + 1] if n + 1 < len(lines) else ""
                assert FENCE.match(following), (
                    f"{path.name}:{n + 1}: the marker goes on the line before the block it leaves out"
                )


def test_the_docs_say_how_to_start_the_demo_they_run_against() -> None:
    for name, env in SERVER_ENV.items():
        text = (REPO / "docs" / name).read_text()
        for key, value in env.items():
            assert f"{key}={value} ./dev serve --demo" in text
