"""The technicians' workbench: pages over the same use cases as the API.

Signed in like the desk (a cookie holding the key's id, CSRF on every form), in its own slot of
the session. Every form also works without script (post, then redirect); the page's script sends
the same forms with an ``Idempotency-Key`` and keeps them while the phone is offline.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field, ValidationError

from app.deps import BENCH_KEY_ID, ContextDep, SessionDep
from app.desk.door import Door, PageForm, TokenField, WordsDep, problem_text, see_other
from app.desk.i18n import Words
from app.desk.routes import DESK_TEMPLATES
from app.domain.access import Principal
from app.domain.errors import DomainError
from app.domain.quick_picks import QUICK_PICKS
from app.models.event import EVENT_TYPES
from app.models.order import StageUpdateIn
from app.models.requests import RequestAnswerIn
from app.services import workbench as views
from app.services.calendars import office_hours_of
from app.services.idempotency import fingerprint, idempotent, validate_key
from app.services.requests import answer_request
from app.services.stage_updates import apply_stage_update
from app.workbench.actions import StageForm, update_body

HERE = Path(__file__).parent
BENCH_ROLES = ("technician", "admin")
templates = Jinja2Templates(directory=[HERE / "templates", DESK_TEMPLATES])
# A fresh Idempotency-Key in each form: a form sent twice (a double tap, a resend) acts once.
templates.env.globals["new_key"] = lambda: secrets.token_urlsafe(16)
router = APIRouter(prefix="/workbench", include_in_schema=False)


class BenchSignInRequired(Exception):
    """The workbench needs a signed-in technician."""


class Done(BaseModel):
    """What an action's answer (and its replay) holds: enough for the page to say it landed."""

    order: str
    stage: str | None = None
    version: int | None = None
    message: str


BENCH = Door(
    root="/workbench",
    slot=BENCH_KEY_ID,
    roles=BENCH_ROLES,
    templates=templates,
    sign_in_page="bench_sign_in.html",
    required=BenchSignInRequired,
    flash_slot="bench_flash",
    flash_is_key=False,
    wrong_role=lambda words, role: words("wb_wrong_role", role=words("role_" + role)),
)
BenchUser = Annotated[Principal, Depends(BENCH.user)]


@dataclasses.dataclass(frozen=True)
class BenchForm(PageForm):
    #: The action's Idempotency-Key: the header the page's script sends, else the form's field.
    key: str = ""


async def bench_form(
    request: Request,
    ctx: ContextDep,
    user: BenchUser,
    words: WordsDep,
    csrf: TokenField = "",
    idempotency_key: TokenField = "",
    idempotency_header: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> BenchForm:
    return BenchForm(request, ctx, user, words, csrf, idempotency_header or idempotency_key)


BenchFormDep = Annotated[BenchForm, Depends(bench_form)]


render = BENCH.render
BENCH.add_routes(router)


# --- the list --------------------------------------------------------------------------------


def _list_context(
    request: Request, session: SessionDep, ctx: ContextDep, user: Principal, words: Words, mine: bool
) -> dict[str, Any]:
    page = views.bench_page(session, user, ctx.clock.now(), ctx.view, words.language, mine_only=mine)
    query = "?mine=1" if mine else ""
    return {
        "user": user,
        "page": page,
        "quick_picks": QUICK_PICKS,
        "live_url": f"/workbench/live{query}",
        "event_types": ",".join(t for t in EVENT_TYPES if t.split(".")[0] in ("stage", "request", "order")),
    }


def _list_page(template: str) -> Callable[..., HTMLResponse]:
    """The list as a whole page, or as the fragment the page fetches again when the stream speaks."""

    def page(
        request: Request,
        session: SessionDep,
        ctx: ContextDep,
        user: BenchUser,
        words: WordsDep,
        mine: bool = False,
    ) -> HTMLResponse:
        return render(request, template, words, _list_context(request, session, ctx, user, words, mine))

    return page


router.get("", name="bench")(_list_page("bench.html"))
router.get("/live", name="bench_fragment")(_list_page("_bench_list.html"))


# --- actions ---------------------------------------------------------------------------------


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


async def _run(page: BenchForm, raw_form: dict[str, Any], build: Any) -> Response:
    """Run an action once per Idempotency-Key: a resend after a lost answer gets the first answer."""
    page.check()
    request, ctx, user, key = page.request, page.ctx, page.user, page.key
    now = ctx.clock.now()
    try:
        use_case = build(now)
        idempotency = validate_key(key) if key else None
        # The form's own fields, not the update they turn into: "+1 h" resent a minute later is
        # the same action, and must be recognised as one.
        print_ = fingerprint("POST", request.url.path, json.dumps(raw_form, sort_keys=True).encode())
        result = await ctx.writer.run(idempotent(user.actor, idempotency, print_, 200, now, use_case))
    except (ValidationError, DomainError) as exc:
        status = exc.status_code if isinstance(exc, DomainError) else 422
        detail = problem_text(exc)
        if _wants_json(request):
            return JSONResponse(
                {"title": "Not done", "status": status, "detail": detail},
                status_code=status,
                media_type="application/problem+json",
            )
        request.session["bench_flash"] = detail
        return see_other("/workbench")
    if _wants_json(request):
        headers = {"Idempotency-Replayed": "true"} if result.replayed else {}
        return JSONResponse(result.body, headers=headers)
    request.session["bench_flash"] = str(result.body.get("message", ""))
    return see_other("/workbench")


@router.post("/orders/{reference}/stages/{stage}", response_model=None)
async def stage_action(
    reference: str, stage: str, page: BenchFormDep, form: Annotated[StageForm, Form()]
) -> Response:
    ctx, user, words = page.ctx, page.user, page.words
    week = office_hours_of(ctx.db)

    def build(now: Any) -> Any:
        body = StageUpdateIn.model_validate(update_body(form, user.name, now, week))

        def use_case(session: Any) -> Done:
            view = apply_stage_update(session, reference, stage, body, user, now, ctx.view)
            return Done(
                order=reference, stage=stage, version=view.version, message=words("wb_done_" + form.action)
            )

        return use_case

    raw = {"reference": reference, "stage": stage, **form.model_dump()}
    return await _run(page, raw, build)


class AnswerForm(BaseModel):
    text: str = Field("", max_length=2000)
    outcome: str = Field("", max_length=20)
    stage: str = Field("", max_length=64)


@router.post("/orders/{reference}/requests/{request_id}/answer", response_model=None)
async def answer(
    reference: str, request_id: int, page: BenchFormDep, form: Annotated[AnswerForm, Form()]
) -> Response:
    user, words = page.user, page.words
    stage = form.stage or None

    def build(now: Any) -> Any:
        body = RequestAnswerIn.model_validate(
            {"text": form.text, "outcome": form.outcome or None, "stage": stage}
        )

        def use_case(session: Any) -> Done:
            answer_request(session, reference, request_id, body, user, now)
            return Done(order=reference, stage=stage, message=words("wb_answered"))

        return use_case

    raw = {"reference": reference, "request": request_id, **form.model_dump()}
    return await _run(page, raw, build)


# --- wiring ----------------------------------------------------------------------------------


def install(app: FastAPI) -> None:
    async def _sign_in_required(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/workbench/live"):
            return Response("signed out", status_code=401, media_type="text/plain")
        if request.method == "POST":
            # A queued action sent after the key was revoked: the page keeps it and says so.
            return JSONResponse(
                {"title": "Signed out", "status": 401, "detail": "sign in again"}, status_code=401
            )
        return BENCH.sign_in_first(request)

    app.add_exception_handler(BenchSignInRequired, _sign_in_required)
    app.include_router(router)
    app.mount("/workbench/static", StaticFiles(directory=HERE / "static"), name="workbench_static")
