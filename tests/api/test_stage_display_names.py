"""Stage names in customer sentences: in each language as the flow writes them, never
lower-cased, never one language's name inside the other's sentence."""

from __future__ import annotations

from datetime import timedelta

from tests.support import Api


def _flow(api: Api, display: dict[str, str] | None) -> None:
    stage: dict[str, object] = {
        "key": "diagnosis",
        "name": "Diagnosis",
        "department": "workshop",
        "planned_minutes": 240,
    }
    if display is not None:
        stage["display_name"] = display
    api.define_flow({"key": "repair" if display else "plain", "name": "Repair", "stages": [stage]})


def test_each_language_names_the_stage_in_its_own_words(api: Api) -> None:
    _flow(api, {"en": "Diagnosis", "id": "Diagnosa"})
    api.create_order("SO-1", flow="repair", promise_in=timedelta(days=3))
    message = api.update("SO-1", "diagnosis", status="in_progress")["customer_message"]
    assert message["en"].startswith("Your order is in Diagnosis;")
    assert message["id"].startswith("Pesanan Anda sedang dalam tahap Diagnosa;")
    assert "diagnosa" not in message["en"].lower()


def test_without_display_names_the_name_is_used_as_written(api: Api) -> None:
    _flow(api, None)
    api.create_order("SO-2", flow="plain", promise_in=timedelta(days=3))
    message = api.update("SO-2", "diagnosis", status="in_progress")["customer_message"]
    assert message["en"].startswith("Your order is in Diagnosis;")
    assert message["id"].startswith("Pesanan Anda sedang dalam tahap Diagnosis;")


def test_a_display_name_missing_a_language_is_refused(api: Api) -> None:
    response = api.post(
        "/v1/flows",
        {
            "key": "half",
            "name": "Half",
            "stages": [
                {
                    "key": "work",
                    "name": "Work",
                    "department": "workshop",
                    "planned_minutes": 60,
                    "display_name": {"en": "Work"},
                }
            ],
        },
        key=api.keys.admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][:4] == ["body", "stages", 0, "display_name"]
