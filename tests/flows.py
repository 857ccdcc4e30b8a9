"""Flow definitions used by several tests."""

from __future__ import annotations

from typing import Any

REPAIR: dict[str, Any] = {
    "key": "repair",
    "name": "Repair and return",
    "stages": [
        {"key": "diagnosis", "name": "Diagnosis", "department": "workshop", "planned_minutes": 240},
        {
            "key": "parts",
            "name": "Parts",
            "department": "purchasing",
            "planned_minutes": 2880,
            "depends_on": ["diagnosis"],
        },
        {
            "key": "quote",
            "name": "Quote",
            "department": "finance",
            "planned_minutes": 60,
            "depends_on": ["diagnosis"],
            "planned_cost": {"amount": "0.00", "currency": "IDR"},
        },
        {
            "key": "repair",
            "name": "Repair",
            "department": "workshop",
            "planned_minutes": 480,
            "depends_on": ["parts", "quote"],
        },
        {
            "key": "shipping",
            "name": "Shipping",
            "department": "shipping",
            "planned_minutes": 1440,
            "depends_on": ["repair"],
        },
    ],
    "texts": {
        "repair": {
            "in_progress": {"en": "Your item is being repaired.", "id": "Barang Anda sedang diperbaiki."}
        }
    },
    "reason_codes": [
        {
            "code": "awaiting_approval",
            "label": {"en": "Awaiting approval", "id": "Menunggu persetujuan"},
            "customer": {"en": "waiting for your approval of the quote", "id": "menunggu persetujuan Anda"},
        }
    ],
}
