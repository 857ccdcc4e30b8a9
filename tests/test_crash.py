"""A server killed with SIGKILL under concurrent keyed stage updates, then restarted on the same
database: nothing it acknowledged is lost, the event log has no gap and no repeat, and a client
that retries what went unanswered, with the same Idempotency-Key, gets each applied once."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.server_process import ServerProcess, running_server

WRITERS = 8
#: Acknowledged writes to wait for before the kill (or the time cap below, whichever is first).
ACKNOWLEDGED_BEFORE_KILL = 150
KILL_AFTER_AT_MOST_SECONDS = 4.0
ADMIN_KEY = f"ndk_crash_admin_{secrets.token_hex(16)}"


@dataclass(frozen=True)
class Write:
    reference: str
    key: str
    note: str
    body: bytes


@dataclass
class Writer:
    """One technician's tool: keyed updates to one order's assembly, one after another."""

    reference: str
    acknowledged: list[tuple[Write, dict[str, Any]]] = field(default_factory=list)
    unanswered: list[Write] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def write(self, n: int) -> Write:
        note = f"{self.reference} write {n}"
        body: dict[str, Any] = {"internal_note": note, "remaining_minutes": 30 + n}
        if n % 2 == 0:
            body |= {"status": "blocked", "reason": "waiting_parts"}
        else:
            body |= {"status": "in_progress"}
        # The bytes are kept: a retry sends exactly what the first attempt sent.
        return Write(self.reference, f"{self.reference}-{n}", note, json.dumps(body).encode())

    def run(self, url: str, key: str, stop: threading.Event) -> None:
        with httpx.Client(base_url=url, timeout=10) as client:
            n = 0
            while not stop.is_set():
                write = self.write(n)
                try:
                    response = send(client, key, write)
                except httpx.HTTPError:
                    # No answer: it may or may not have been applied. The client retries it later.
                    self.unanswered.append(write)
                    return
                if response.status_code != 200:
                    self.refused.append(f"{write.key}: {response.status_code} {response.text[:300]}")
                    return
                self.acknowledged.append((write, response.json()))
                n += 1


def send(client: httpx.Client, key: str, write: Write) -> httpx.Response:
    return client.post(
        f"/v1/orders/{write.reference}/stages/assembly/updates",
        content=write.body,
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            "Idempotency-Key": write.key,
        },
    )


def _post(client: httpx.Client, path: str, key: str, body: dict[str, Any], expect: int) -> dict[str, Any]:
    response = client.post(path, json=body, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == expect, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _prepare(server: ServerProcess, references: list[str]) -> str:
    """A technician key of assembly, and the orders with their assembly under way."""
    with httpx.Client(base_url=server.url, timeout=10) as client:
        agent = _post(client, "/v1/keys", ADMIN_KEY, {"name": "desk", "role": "agent"}, 201)["secret"]
        tech = _post(
            client,
            "/v1/keys",
            ADMIN_KEY,
            {"name": "assembly line", "role": "technician", "departments": ["assembly"]},
            201,
        )["secret"]
        for reference in references:
            order = {
                "reference": reference,
                "flow": "standard",
                "customer": {"name": "Toko Maju", "contact": "+62 21 555 0100"},
                "promised_at": "2030-01-01T12:00:00+07:00",
                "quoted_cost": {"amount": "1250000.00", "currency": "IDR"},
            }
            _post(client, "/v1/orders", agent, order, 201)
            path = f"/v1/orders/{reference}/stages/assembly/updates"
            _post(client, path, tech, {"status": "in_progress"}, 200)
    return str(tech)


def _all_events(client: httpx.Client) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        response = client.get(
            "/v1/events",
            params={"after": after, "limit": 1000},
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        )
        assert response.status_code == 200, response.text
        page = response.json()
        if not page["items"]:
            return events
        events += page["items"]
        after = page["next_after"]


def _ids_without_gap_or_repeat(events: list[dict[str, Any]]) -> None:
    ids = [int(event["id"]) for event in events]
    repeated = [i for i, count in Counter(ids).items() if count > 1]
    assert not repeated, f"event ids repeated: {repeated[:10]}"
    missing = sorted(set(range(1, max(ids) + 1)) - set(ids))
    assert not missing, f"event ids missing: {missing[:10]} (of 1..{max(ids)})"
    assert ids == sorted(ids), "the log does not read in id order"


def _applied(events: list[dict[str, Any]]) -> Counter[str]:
    """How many times each write's note was written: once per applied update."""
    return Counter(
        event["data"]["internal_note"]
        for event in events
        if "internal_note" in event["data"].get("notes_changed", [])
    )


def test_sigkill_under_keyed_writers_loses_nothing_acknowledged(database_url: str, tmp_path: Path) -> None:
    references = [f"CR-{i}" for i in range(WRITERS)]
    writers = [Writer(reference) for reference in references]
    env = {"NEXTDESK_BOOTSTRAP_ADMIN_KEY": ADMIN_KEY, "NEXTDESK_LOG_REQUESTS": "false"}

    with running_server(database_url, tmp_path / "before.log", env) as first:
        tech = _prepare(first, references)
        stop = threading.Event()
        threads = [
            threading.Thread(target=w.run, args=(first.url, tech, stop), name=f"writer-{w.reference}")
            for w in writers
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + KILL_AFTER_AT_MOST_SECONDS
        while sum(len(w.acknowledged) for w in writers) < ACKNOWLEDGED_BEFORE_KILL:
            assert all(t.is_alive() for t in threads), [w.refused for w in writers]
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        first.kill()
        for thread in threads:
            thread.join(timeout=20)
        stop.set()
        assert not any(t.is_alive() for t in threads)

    assert [w.refused for w in writers] == [[] for _ in writers], "a write was refused before the kill"
    acknowledged = [pair for w in writers for pair in w.acknowledged]
    unanswered = [write for w in writers for write in w.unanswered]
    # Every writer was cut off by the kill, after all of them had written.
    assert len(unanswered) == WRITERS
    assert all(w.acknowledged for w in writers), [len(w.acknowledged) for w in writers]

    with (
        running_server(database_url, tmp_path / "after.log", env) as second,
        httpx.Client(base_url=second.url, timeout=10) as client,
    ):
        events = _all_events(client)
        _ids_without_gap_or_repeat(events)
        applied = _applied(events)
        lost = [write.key for write, _ in acknowledged if applied[write.note] != 1]
        assert lost == [], (
            f"{len(lost)} of {len(acknowledged)} acknowledged writes not applied once: {lost[:10]}"
        )

        # An acknowledged write retried with its key is answered as the first time, and not applied again.
        for writer in writers:
            for write, answer in (writer.acknowledged[0], writer.acknowledged[-1]):
                replay = send(client, tech, write)
                assert replay.status_code == 200, replay.text
                assert replay.headers.get("Idempotency-Replayed") == "true"
                assert replay.json() == answer

        # The unanswered write, retried with its key: applied if the crash lost it, replayed if it
        # had been committed; a second retry only ever replays.
        for write in unanswered:
            retried = send(client, tech, write)
            assert retried.status_code == 200, retried.text
            again = send(client, tech, write)
            assert again.status_code == 200, again.text
            assert again.headers.get("Idempotency-Replayed") == "true"
            assert again.json() == retried.json()

        events = _all_events(client)
        _ids_without_gap_or_repeat(events)
        applied = _applied(events)
        notes = [write.note for write, _ in acknowledged] + [write.note for write in unanswered]
        assert {note: applied[note] for note in notes} == dict.fromkeys(notes, 1)
        assert sum(applied.values()) == len(notes), "an update was applied that nobody sent"

        # Each order ends as its writer's last update left it.
        for writer in writers:
            last = writer.unanswered[-1]
            view = client.get(f"/v1/orders/{writer.reference}", headers={"Authorization": f"Bearer {tech}"})
            assert view.status_code == 200, view.text
            (assembly,) = [s for s in view.json()["stages"] if s["key"] == "assembly"]
            sent = json.loads(last.body)
            assert (assembly["status"], assembly["internal_note"]) == (sent["status"], last.note)
