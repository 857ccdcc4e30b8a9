"""Demo data: a few dozen orders on the `standard` flow in every state, and one key per role.

The demo's departments work office hours: they are put on the `default` calendar (Asia/Jakarta,
Mon-Fri 08:00-17:00, Sat 08:00-12:00, Indonesian holidays), and everything the demo's people do
(a promise given, a technician's update, a revised finish) happens in its working time, so no
estimate or sentence the demo shows names a time the office is closed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.clock import Clock
from app.db import Database
from app.domain.access import Principal
from app.domain.calendar import DEFAULT_KEY, WorkingCalendar
from app.models.access import ApiKeyCreate, Role
from app.models.calendar import CalendarPatch
from app.models.order import OrderCreate, OrderPatch, StageUpdateIn
from app.services.calendars import calendar_book, get_calendar, patch_calendar
from app.services.keys import ensure_key
from app.services.order_changes import load_order
from app.services.orders import create_order, order_exists, patch_order
from app.services.stage_updates import apply_stage_update
from app.settings_view import ViewSettings
from app.writer import run_use_case

#: Fixed, documented keys so the README can say "sign in with ndk_demo_agent". Demo only.
DEMO_KEYS: dict[str, tuple[Role, list[str], str]] = {
    "admin": (Role.ADMIN, [], "ndk_demo_admin"),
    "agent": (Role.AGENT, [], "ndk_demo_agent"),
    "viewer": (Role.VIEWER, [], "ndk_demo_viewer"),
    "integration": (Role.INTEGRATION, ["shipping"], "ndk_demo_integration"),
    "technician (assembly)": (Role.TECHNICIAN, ["assembly"], "ndk_demo_tech_assembly"),
    "technician (finance)": (Role.TECHNICIAN, ["finance"], "ndk_demo_tech_finance"),
    "technician (shipping)": (Role.TECHNICIAN, ["shipping"], "ndk_demo_tech_shipping"),
}

CUSTOMERS = (
    "Toko Maju",
    "CV Sinar Jaya",
    "PT Karya Abadi",
    "Warung Bu Sri",
    "Toko Elektronik Makmur",
    "UD Sentosa",
    "PT Nusantara Teknik",
    "Koperasi Harapan",
    "Toko Sumber Rezeki",
    "CV Mitra Usaha",
    "PT Cahaya Timur",
    "Bengkel Pak Darto",
)

#: The departments of the `standard` flow, which the demo puts on office hours.
DEMO_DEPARTMENTS = ("assembly", "finance", "shipping")

DEMO_TECHNICIAN = Principal(key_id="demo", name="demo technician", role="admin")
DEMO_AGENT = Principal(key_id="demo-agent", name="demo agent", role="agent")


@dataclass
class Scenario:
    name: str
    age: timedelta  # how long ago the order was placed
    #: Promised this much working time (of the office's calendar) after it was placed: the
    #: `standard` flow's plan is 34 working hours.
    promise: timedelta
    #: (hours after placement, stage, update fields)
    steps: list[tuple[float, str, dict[str, Any]]] = field(default_factory=list)
    cancel_after: float | None = None


def _scenarios() -> list[Scenario]:
    h = timedelta(hours=1)
    d = timedelta(days=1)
    return [
        Scenario("fresh", 1 * h, 56 * h),
        Scenario(
            "assembling", 6 * h, 56 * h, [(1, "assembly", {"status": "in_progress", "assignee": "Budi"})]
        ),
        Scenario(
            "waiting for parts",
            1 * d,
            16 * h,
            [
                (1, "assembly", {"status": "in_progress", "assignee": "Budi"}),
                (
                    5,
                    "assembly",
                    {
                        "status": "blocked",
                        "reason": "waiting_parts",
                        "internal_note": "PSU back-ordered, supplier says Thursday",
                        "customer_note": "A part is on its way; assembly resumes Thursday.",
                        "expected_finish_at": 4 * d,
                        "next_update_by": 30 * h,
                    },
                ),
            ],
        ),
        Scenario(
            "in finance",
            1 * d,
            48 * h,
            [
                (1, "assembly", {"status": "in_progress"}),
                (9, "assembly", {"status": "done"}),
                (10, "finance", {"status": "in_progress"}),
            ],
        ),
        Scenario(
            "cost overrun",
            20 * h,
            56 * h,
            [
                (1, "assembly", {"status": "in_progress"}),
                (
                    4,
                    "assembly",
                    {
                        "cost_estimate": "RISE",
                        "internal_note": "Casing cracked, replacing",
                        "reason": "rework",
                    },
                ),
            ],
        ),
        Scenario(
            "shipping",
            2 * d,
            48 * h,
            [
                (1, "assembly", {"status": "in_progress"}),
                (9, "assembly", {"status": "done"}),
                (10, "finance", {"status": "in_progress"}),
                (12, "finance", {"status": "done"}),
                (13, "shipping", {"status": "in_progress", "customer_note": "Picked up by the courier."}),
            ],
        ),
        Scenario(
            "carrier delay",
            2 * d,
            16 * h,
            [
                (1, "assembly", {"status": "in_progress"}),
                (9, "assembly", {"status": "done"}),
                (10, "finance", {"status": "in_progress"}),
                (12, "finance", {"status": "done"}),
                (13, "shipping", {"status": "in_progress"}),
                (
                    30,
                    "shipping",
                    {
                        "status": "blocked",
                        "reason": "carrier_delay",
                        "expected_finish_at": 5 * d,
                        "internal_note": "Hub flooded, courier rerouting",
                    },
                ),
            ],
        ),
        Scenario(
            "done",
            4 * d,
            60 * h,
            [
                (1, "assembly", {"status": "in_progress"}),
                (9, "assembly", {"status": "done", "cost_actual": "PLAN"}),
                (10, "finance", {"status": "in_progress"}),
                (12, "finance", {"status": "done"}),
                (13, "shipping", {"status": "in_progress"}),
                (36, "shipping", {"status": "done"}),
            ],
        ),
        Scenario("cancelled", 2 * d, 48 * h, [(1, "assembly", {"status": "in_progress"})], cancel_after=3),
        Scenario(
            "late",
            4 * d,
            16 * h,
            [
                (1, "assembly", {"status": "in_progress"}),
                (3, "assembly", {"status": "blocked", "reason": "capacity", "expected_finish_at": 20 * h}),
                (30, "assembly", {"status": "in_progress"}),
            ],
        ),
        Scenario(
            "silent",
            10 * h,
            56 * h,
            [
                (
                    1,
                    "assembly",
                    {
                        "status": "in_progress",
                        "next_update_by": 3 * h,
                        "internal_note": "Started; will report after lunch",
                    },
                )
            ],
        ),
        Scenario(
            "skipped finance",
            1 * d,
            48 * h,
            [
                (1, "assembly", {"status": "in_progress"}),
                (2, "finance", {"status": "skipped", "internal_note": "Prepaid"}),
                (8, "assembly", {"status": "done"}),
            ],
        ),
    ]


def _working(moment: datetime, office: WorkingCalendar) -> datetime:
    """The moment itself if the office is open then, else its next opening."""
    return moment if office.is_working(moment) else office.next_opening(moment)


def _fields(
    raw: dict[str, Any], placed: datetime, at: datetime, quoted: int, office: WorkingCalendar
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, timedelta):
            # A moment ahead of the update, in working time (a step moved to the next opening
            # may have caught up with it: then two working hours after the update).
            moment = _working(placed + value, office)
            out[name] = moment if moment > at else office.add(at, 120)
        elif value == "RISE":
            out[name] = {"amount": f"{quoted * 0.2:.2f}", "currency": "IDR"}
        elif value == "PLAN":
            out[name] = {"amount": "0.00", "currency": "IDR"}
        else:
            out[name] = value
    return out


def ensure_demo_keys(db: Database, clock: Clock) -> dict[str, str]:
    def seed(session: Session) -> None:
        for label, (role, departments, secret) in DEMO_KEYS.items():
            body = ApiKeyCreate(name=f"demo {label}", role=role, departments=departments)
            ensure_key(session, body, clock.now(), secret=secret)

    run_use_case(db, seed)
    return {label: secret for label, (_, _, secret) in DEMO_KEYS.items()}


def ensure_office_hours(db: Database, clock: Clock) -> WorkingCalendar:
    """Put the demo's departments that work by no calendar yet on `default`, and return it."""

    def claim(session: Session) -> None:
        taken = calendar_book(session).by_department
        missing = [d for d in DEMO_DEPARTMENTS if d not in taken]
        if missing:
            current = get_calendar(session, DEFAULT_KEY).departments
            body = CalendarPatch(departments=[*current, *missing])
            patch_calendar(session, DEFAULT_KEY, body, clock.now())

    run_use_case(db, claim)
    with db.read_session() as session:
        return calendar_book(session).get(DEFAULT_KEY)


def load_demo(db: Database, clock: Clock, *, orders: int = 36, seed: int = 7) -> dict[str, str]:
    """Load the demo orders once (a second run leaves them be) and return the demo keys."""
    keys = ensure_demo_keys(db, clock)
    with db.read_session() as session:
        if order_exists(session, "SO-1001"):
            return keys
    office = ensure_office_hours(db, clock)
    view = ViewSettings.from_settings(db.settings)
    rng = random.Random(seed)
    scenarios = _scenarios()
    now = clock.now().replace(microsecond=0)
    for n in range(orders):
        scenario = scenarios[n % len(scenarios)]
        jitter = timedelta(minutes=rng.randint(0, 90))
        placed = now - scenario.age - jitter
        quoted = rng.choice((450_000, 1_250_000, 2_750_000, 8_900_000))
        reference = f"SO-{1001 + n}"
        body = OrderCreate.model_validate(
            {
                "reference": reference,
                "flow": "standard",
                "customer": {"name": CUSTOMERS[n % len(CUSTOMERS)], "contact": f"+62 21 555 {1000 + n}"},
                "promised_at": office.add(placed, scenario.promise.total_seconds() / 60).isoformat(),
                "quoted_cost": {"amount": f"{quoted}.00", "currency": "IDR"},
            }
        )
        run_use_case(db, lambda s, b=body, t=placed: create_order(s, b, DEMO_AGENT, t, view))  # type: ignore[misc]
        at = placed
        for hours, stage, raw in scenario.steps:
            # Technicians work office hours: a step due at night is done at the next opening.
            at = max(at, _working(placed + timedelta(hours=hours), office))
            if at > now:
                break
            update = StageUpdateIn.model_validate(_fields(raw, placed, at, quoted, office))
            run_use_case(
                db,
                lambda s, r=reference, st=stage, u=update, t=at: apply_stage_update(  # type: ignore[misc]
                    s, r, st, u, DEMO_TECHNICIAN, t, view
                ),
            )
        if scenario.cancel_after is not None:
            at = _working(placed + timedelta(hours=scenario.cancel_after), office)
            patch = OrderPatch(cancel=True, cancel_reason="Customer changed their mind")

            def cancel(s: Session, r: str = reference, t: datetime = at, p: OrderPatch = patch) -> Any:
                version = load_order(s, r)[0].version
                return patch_order(s, r, p, version, DEMO_AGENT, t, view)

            run_use_case(db, cancel)
    return keys
