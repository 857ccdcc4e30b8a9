"""Registering integrations: scope, a checked payload mapping, a whsec_ secret shown once, rotation."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.domain.errors import Unprocessable
from app.domain.payload_mapping import PayloadMap, map_payload, mapping_problems
from tests.access_support import register
from tests.support import Keys, bearer

MAPPING = {
    "paths": {"order": "data.0.ref", "status": "data.0.state", "internal_note": "data.0.remark"},
    "fixed": {"stage": "shipping"},
    "status_values": {"OTW": "in_progress", "DLV": "done", "HOLD": "blocked"},
}


def test_registration_shows_the_secret_once(client: TestClient, keys: Keys) -> None:
    created = register(client, keys.admin, "carrier-jne", description="JNE tracking", mapping=MAPPING)
    assert created["secret"].startswith("whsec_")
    assert created["inbound_path"] == "/v1/inbound/carrier-jne"
    assert created["mapping"] == MAPPING

    one = client.get("/v1/integrations/carrier-jne", headers=bearer(keys.admin)).json()
    listed = client.get("/v1/integrations", headers=bearer(keys.admin)).json()
    assert [i["name"] for i in listed] == ["carrier-jne"]
    for shown in (one, *listed):
        assert "secret" not in shown
        assert created["secret"] not in str(shown)

    again = client.post(
        "/v1/integrations",
        json={"name": "carrier-jne", "departments": ["shipping"]},
        headers=bearer(keys.admin),
    )
    assert again.status_code == 409


def test_bad_registrations_are_422_naming_the_problem(client: TestClient, keys: Keys) -> None:
    def mapping(**change: Any) -> dict[str, Any]:
        return {**MAPPING, **change}

    bad: list[tuple[dict[str, Any], str]] = [
        ({"departments": []}, "at least one department or stage"),
        ({"departments": ["Shipping Dept"]}, "departments"),
        ({"secret": "not-a-whsec"}, "starts with 'whsec_'"),
        ({"secret": "whsec_c2hvcnQ="}, "24 to 64 random bytes"),
        ({"name": "Carrier JNE"}, "name"),
        ({"mapping": mapping(paths={"status": "state"})}, "'order' is needed"),
        (
            {"mapping": mapping(paths={**MAPPING["paths"], "eta": "x"})},
            "'eta' is not a field a mapping can fill",
        ),
        ({"mapping": mapping(paths={**MAPPING["paths"], "order": "data..ref"})}, "is not a dotted path"),
        ({"mapping": mapping(status_values={"DLV": "finished"})}, "status_values"),
        ({"mapping": mapping(fixed={"stage": "shipping", "status": "teleported"})}, "both as a path"),
        ({"mapping": mapping(fixed={"stage": "Shipping!"})}, "is not a key"),
        (
            {"mapping": {"paths": {"order": "ref"}, "fixed": {"stage": "shipping"}}},
            "an update would say nothing",
        ),
        (
            {"mapping": {"paths": {"order": "ref"}, "fixed": {"stage": "s"}, "status_values": {"a": "done"}}},
            "give a path for 'status'",
        ),
        (
            {"mapping": {"paths": {"order": "ref"}, "fixed": {"order": "SO-1"}}},
            "'order' must come from the payload",
        ),
    ]
    for change, complaint in bad:
        body = {"name": "carrier", "departments": ["shipping"], **change}
        response = client.post("/v1/integrations", json=body, headers=bearer(keys.admin))
        assert response.status_code == 422, change
        assert complaint in response.text, (change, response.text)
    assert client.get("/v1/integrations", headers=bearer(keys.admin)).json() == []


def test_patch_changes_only_what_is_given(client: TestClient, keys: Keys) -> None:
    register(client, keys.admin, "erp", description="the ERP", mapping=MAPPING)

    def patch(body: dict[str, Any]) -> Any:
        return client.patch("/v1/integrations/erp", json=body, headers=bearer(keys.admin))

    changed = patch({"stages": ["assembly"], "mapping": None})
    assert changed.status_code == 200
    assert changed.json()["mapping"] is None
    assert changed.json()["stages"] == ["assembly"]
    assert changed.json()["departments"] == ["shipping"]
    assert changed.json()["description"] == "the ERP"

    assert patch({"departments": [], "stages": []}).status_code == 422
    assert patch({"departments": None}).status_code == 422
    assert patch({"mapping": {"paths": {"order": "x"}}}).status_code == 422
    assert patch({"secret": "whsec_" + "A" * 40}).status_code == 422
    assert client.get("/v1/integrations/erp", headers=bearer(keys.admin)).json()["stages"] == ["assembly"]
    assert client.patch("/v1/integrations/nope", json={}, headers=bearer(keys.admin)).status_code == 404


def test_rotation_states_its_overlap(client: TestClient, keys: Keys, clock: ManualClock) -> None:
    first = register(client, keys.admin, "erp")["secret"]
    chosen = "whsec_" + base64.b64encode(b"a secret the ERP chose, 32 bytes").decode()
    rotated = client.post(
        "/v1/integrations/erp/rotate-secret",
        json={"overlap_minutes": 90, "secret": chosen},
        headers=bearer(keys.admin),
    ).json()
    assert rotated["secret"] == chosen != first
    assert rotated["previous_secret_expires_at"] == (clock.now() + timedelta(minutes=90)).isoformat().replace(
        "+00:00", "Z"
    )
    too_long = client.post(
        "/v1/integrations/erp/rotate-secret", json={"overlap_minutes": 20_000}, headers=bearer(keys.admin)
    )
    assert too_long.status_code == 422
    default = client.post("/v1/integrations/erp/rotate-secret", headers=bearer(keys.admin))
    assert default.status_code == 200
    assert default.json()["secret"] not in (first, chosen)


# --- the mapping language, without a database -------------------------------------------------


def test_a_sound_mapping_has_no_problems() -> None:
    assert mapping_problems(MAPPING["paths"], MAPPING["fixed"], MAPPING["status_values"]) == []


def test_mapping_reads_nested_fields_lists_and_numbers() -> None:
    carrier = PayloadMap(MAPPING["paths"], MAPPING["fixed"], MAPPING["status_values"])
    payload = {"data": [{"ref": 1042, "state": "HOLD", "remark": None}, {"ref": "ignored"}]}
    assert map_payload(payload, carrier) == {"order": "1042", "stage": "shipping", "status": "blocked"}


@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({"data": []}, ["body", "data", 0]),
        ({"data": [{"ref": "SO-1"}]}, ["body", "data", 0, "state"]),
        ({"data": {"0": {"ref": "SO-1", "state": "LOST"}}}, ["body", "data", "0", "state"]),
        ({"data": [{"ref": True, "state": "DLV"}]}, ["body", "data", 0, "ref"]),
    ],
)
def test_mapping_names_where_the_payload_falls_short(payload: Any, loc: list[Any]) -> None:
    carrier = PayloadMap(MAPPING["paths"], MAPPING["fixed"], MAPPING["status_values"])
    with pytest.raises(Unprocessable) as caught:
        map_payload(payload, carrier)
    assert caught.value.extra["errors"][0]["loc"] == loc
