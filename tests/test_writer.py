"""All-or-nothing: a failed use case leaves neither state nor event, even inside a batch."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from app.config import Settings
from app.domain.access import SYSTEM
from app.domain.errors import Conflict
from app.events.append import NewEvent, append_events, append_events_at_commit
from app.models.event import Event
from app.models.order import Order, OrderCreate, StageUpdateIn
from app.repositories import statements
from app.repositories.statements import driver_of, prepared
from app.services.orders import create_order
from app.services.stage_updates import apply_stage_update
from tests.support import Api, Service


@pytest.fixture(params=["inline", "thread"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """Every test here runs its batches both ways: on the event loop and in the writer's thread."""
    return settings.model_copy(update={"writer_mode": request.param})


@pytest.mark.parametrize(
    ("url", "inline"),
    [
        ("sqlite:///./nextdesk.db", True),
        ("postgresql://app@127.0.0.1:5432/nextdesk", True),
        ("postgresql://app@localhost/nextdesk", True),
        ("postgresql://app@[::1]/nextdesk", True),
        ("postgresql:///nextdesk?host=/var/run/postgresql", True),
        ("postgresql://app@db.internal:5432/nextdesk", False),
        ("postgresql://app@10.0.0.7/nextdesk", False),
    ],
)
def test_the_writer_runs_on_the_event_loop_where_the_database_is_on_this_machine(
    url: str, inline: bool
) -> None:
    def mode(writer_mode: str) -> bool:
        return Settings(database_url=url, writer_mode=writer_mode, _env_file=None).writer_inline  # type: ignore[call-arg]

    assert mode("auto") is inline
    assert mode("thread") is False
    assert mode("inline") is True


def order_body(reference: str, api: Api | Service) -> OrderCreate:
    return OrderCreate.model_validate(
        {
            "reference": reference,
            "customer": {"name": "Toko"},
            "promised_at": (api.clock.now() + timedelta(days=3)).isoformat(),
            "quoted_cost": {"amount": "10.00", "currency": "IDR"},
        }
    )


def test_failed_write_leaves_nothing_while_its_batch_mates_commit(service: Service) -> None:
    ctx = service.ctx
    now = service.clock.now()

    def good(reference: str):  # type: ignore[no-untyped-def]
        return lambda session: create_order(session, order_body(reference, service), SYSTEM, now, ctx.view)

    def bad(session: Session) -> None:
        create_order(session, order_body("SO-BAD", service), SYSTEM, now, ctx.view)
        append_events(session, [NewEvent("order.updated", "SO-BAD", {"note": "never"})], now)
        raise Conflict("changed my mind halfway")

    async def run_together() -> list[object]:
        return await asyncio.gather(
            ctx.writer.run(good("SO-A")),
            ctx.writer.run(bad),
            ctx.writer.run(good("SO-B")),
            return_exceptions=True,
        )

    results = service.portal.call(run_together)
    assert isinstance(results[1], Conflict)
    with ctx.db.read_session() as session:
        refs = set(session.exec(select(Order.reference)).all())
        subjects = {e.subject for e in session.exec(select(Event)).all()}
        ids = [e.id for e in session.exec(select(Event).order_by(Event.id)).all()]  # type: ignore[arg-type]
    assert refs == {"SO-A", "SO-B"}
    assert "SO-BAD" not in subjects
    assert ids == list(range(1, len(ids) + 1)), "a rolled-back write must not leave a hole in the sequence"


def test_a_lone_failed_write_rolls_back(api: Api) -> None:
    api.create_order()
    before = api.events()
    response = api.post(
        "/v1/orders/SO-1042/stages/assembly/updates", {"status": "done"}, key=api.keys.technician
    )
    assert response.status_code == 409
    assert api.events() == before


@pytest.mark.parametrize("count", [20])
def test_many_concurrent_writes_are_batched_and_all_land(api: Api, count: int) -> None:
    ctx = api.client.app.state.ctx  # type: ignore[attr-defined]
    now = api.clock.now()

    async def burst() -> list[object]:
        jobs = [
            ctx.writer.run(lambda s, r=f"SO-{n}": create_order(s, order_body(r, api), SYSTEM, now, ctx.view))
            for n in range(count)
        ]
        return await asyncio.gather(*jobs)

    api.client.portal.call(burst)  # type: ignore[union-attr]
    assert len(api.get("/v1/orders", params={"limit": 100}).json()["items"]) == count
    assert ctx.writer.batches < ctx.writer.jobs, "concurrent writes should share transactions"


def test_a_write_failing_at_the_end_of_its_batch_fails_alone(service: Service) -> None:
    """Events are numbered and written at the end of a batch; a failure there is still one use case's."""
    ctx = service.ctx
    now = service.clock.now()

    def good(reference: str):  # type: ignore[no-untyped-def]
        return lambda session: create_order(session, order_body(reference, service), SYSTEM, now, ctx.view)

    def refuse(session: Session, rows: list[object]) -> None:
        raise Conflict("what refers to the numbered events cannot be written")

    def bad(session: Session) -> None:
        create_order(session, order_body("SO-BAD", service), SYSTEM, now, ctx.view)
        never = [NewEvent("order.updated", "SO-BAD", {"note": "never"})]
        append_events_at_commit(session, never, now, refuse)

    async def run_together() -> list[object]:
        return await asyncio.gather(
            ctx.writer.run(good("SO-A")),
            ctx.writer.run(bad),
            ctx.writer.run(good("SO-B")),
            return_exceptions=True,
        )

    results = service.portal.call(run_together)
    assert isinstance(results[1], Conflict)
    assert not isinstance(results[0], BaseException)
    assert not isinstance(results[2], BaseException)
    with ctx.db.read_session() as session:
        refs = set(session.exec(select(Order.reference)).all())
        events = session.exec(select(Event).order_by(Event.id)).all()  # type: ignore[arg-type]
    assert refs == {"SO-A", "SO-B"}
    assert {e.subject for e in events} == {"SO-A", "SO-B"}
    assert [e.id for e in events] == list(range(1, len(events) + 1))


def test_a_held_back_write_the_database_refuses_fails_its_use_case_alone(api: Api) -> None:
    """On PostgreSQL writes wait for the next round trip; a refusal there is still one use case's."""
    ctx = api.client.app.state.ctx  # type: ignore[attr-defined]
    if ctx.db.is_sqlite:
        pytest.skip("SQLite writes at once and does not check a VARCHAR's length")
    now = api.clock.now()
    for reference in ("SO-A", "SO-B", "SO-BAD"):
        api.create_order(reference)
    too_long = (
        update(Order.__table__)
        .where(Order.__table__.c.reference == bindparam("ref"))
        .values(  # type: ignore[attr-defined]
            currency=bindparam("currency")
        )
    )

    def note(reference: str):  # type: ignore[no-untyped-def]
        body = StageUpdateIn(internal_note=f"checked {reference}")
        return lambda session: apply_stage_update(session, reference, "assembly", body, SYSTEM, now, ctx.view)

    def bad(session: Session) -> None:
        driver, dialect = driver_of(session)
        prepared(too_long, dialect).write(driver, {"ref": "SO-BAD", "currency": "RUPIAH"})

    async def run_together() -> list[object]:
        return await asyncio.gather(
            ctx.writer.run(note("SO-A")),
            ctx.writer.run(bad),
            ctx.writer.run(note("SO-B")),
            return_exceptions=True,
        )

    results = api.client.portal.call(run_together)  # type: ignore[union-attr]
    assert isinstance(results[1], Exception)
    assert not isinstance(results[0], BaseException)
    assert not isinstance(results[2], BaseException)
    assert api.order("SO-A")["stages"][0]["internal_note"] == "checked SO-A"
    assert api.order("SO-B")["stages"][0]["internal_note"] == "checked SO-B"
    with ctx.db.read_session() as session:
        assert session.exec(select(Order.currency).where(Order.reference == "SO-BAD")).one() == "IDR"


def test_a_use_case_writing_only_through_repository_statements_leaves_nothing_when_it_fails(
    service: Service,
) -> None:
    """The repositories write on the driver's cursor, past the ORM: their savepoint must still be open."""
    ctx = service.ctx
    now = service.clock.now()
    rename = (
        update(Order.__table__)  # type: ignore[attr-defined]
        .where(Order.__table__.c.reference == bindparam("ref"))  # type: ignore[attr-defined]
        .values(customer_name=bindparam("name"))
    )

    async def create_all() -> None:
        for reference in ("SO-A", "SO-B", "SO-BAD"):
            await ctx.writer.run(
                lambda session, r=reference: create_order(  # type: ignore[misc]
                    session, order_body(r, service), SYSTEM, now, ctx.view
                )
            )

    service.portal.call(create_all)

    def rename_to(reference: str, name: str, fail: bool):  # type: ignore[no-untyped-def]
        def use_case(session: Session) -> None:
            statements.write(session, rename, {"ref": reference, "name": name})
            statements.run(session, select_name, {"ref": reference})  # the write has gone to the database
            if fail:
                raise Conflict("changed my mind after writing")

        return use_case

    select_name = sa_select(Order.__table__.c.customer_name).where(  # type: ignore[attr-defined]
        Order.__table__.c.reference == bindparam("ref")  # type: ignore[attr-defined]
    )

    async def run_together() -> list[object]:
        return await asyncio.gather(
            ctx.writer.run(rename_to("SO-A", "Toko A", False)),
            ctx.writer.run(rename_to("SO-BAD", "never", True)),
            ctx.writer.run(rename_to("SO-B", "Toko B", False)),
            return_exceptions=True,
        )

    results = service.portal.call(run_together)
    assert isinstance(results[1], Conflict)
    with ctx.db.read_session() as session:
        names = dict(session.exec(select(Order.reference, Order.customer_name)).all())  # type: ignore[call-overload]
    assert names == {"SO-A": "Toko A", "SO-B": "Toko B", "SO-BAD": "Toko"}
