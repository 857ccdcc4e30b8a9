"""The technicians' workbench: pages over the same use cases as the API.

Signed in like the desk (a cookie holding the key's id, CSRF on every form), in its own slot of
the session. Every form also works without script (post, then redirect); the page's script sends
the same forms with an ``Idempotency-Key`` and keeps them while the phone is offline.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError

from app.deps import BENCH_KEY_ID, ContextDep, SessionDep, signed_in_key
from app.desk.i18n import LANGUAGES, Words, language_or_default
from app.desk.routes import DESK_TEMPLATES, SECURITY_HEADERS, words_for
from app.desk.session import check_csrf, csrf_token, sign_in, sign_out
from app.domain.access import Principal
from app.domain.errors import DomainError, Unauthorized
from app.domain.quick_picks import QUICK_PICKS
from app.models.event import EVENT_TYPES
from app.models.order import StageUpdateIn
from app.models.requests import RequestAnswerIn
from app.services import workbench as views
from app.services.calendars import office_hours_of
from app.services.idempotency import fingerprint, idempotent, validate_key
from app.services.keys import authenticate, principal_for_key
from app.services.requests import answer_request
from app.services.stage_updates import apply_stage_update
from app.workbench.actions import StageForm, update_body

HERE = Path(__file__).parent
BENCH_ROLES = ("technician", "admin")
templates = Jinja2Templates(directory=[HERE / "templates", DESK_TEMPLATES])
# A fresh Idempotency-Key in each form: a form sent twice (a double tap, a resend) acts once.
templates.env.globals["new_key"] = lambda: secrets.token_urlsafe(16)
router = APIRouter(prefix="/workbench", include_in_schema=False)
WordsDep = Annotated[Words, Depends(words_for)]


class BenchSignInRequired(Exception):
    """The workbench needs a signed-in technician."""


class Done(BaseModel):
    """What an action's answer (and its replay) holds: enough for the page to say it landed."""

    order: str
    stage: str | None = None
    version: int | None = None
    message: str


def bench_user(request: Request, ctx: ContextDep) -> Principal:
    key_id = signed_in_key(request, BENCH_KEY_ID)
    if key_id is None:
        raise BenchSignInRequired
    try:
        with ctx.db.read_session() as session:
            principal = principal_for_key(session, key_id, ctx.clock.now())
    except Unauthorized as exc:
        sign_out(request, BENCH_KEY_ID)
        raise BenchSignInRequired from exc
    if principal.role not in BENCH_ROLES:
        sign_out(request, BENCH_KEY_ID)
        raise BenchSignInRequired
    return principal


BenchUser = Annotated[Principal, Depends(bench_user)]


def render(
    request: Request, name: str, words: Words, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    session: dict[str, Any] = request.scope.get("session", {})
    flash = session.pop("bench_flash", None)
    response = templates.TemplateResponse(
        request,
        name,
        {
            "t": words,
            "csrf": csrf_token(request),
            "flash": flash if isinstance(flash, str) else None,
            "languages": LANGUAGES,
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            **context,
        },
        status_code=status_code,
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/workbench") and not target.startswith("//") and "\\" not in target:
        return target
    return "/workbench"


# --- signing in and out --------------------------------------------------------------------


@router.get("/sign-in")
def sign_in_form(request: Request, words: WordsDep, next: str | None = None) -> HTMLResponse:
    return render(
        request, "bench_sign_in.html", words, {"next": _safe_next(next), "error": None, "user": None}
    )


@router.post("/sign-in", response_model=None)
def sign_in_submit(
    request: Request,
    ctx: ContextDep,
    words: WordsDep,
    key: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/workbench",
) -> Response:
    check_csrf(request, csrf)
    error = None
    try:
        principal = authenticate(ctx.db, key.strip(), ctx.clock.now())
        if principal.role not in BENCH_ROLES:
            error = words("wb_wrong_role", role=words("role_" + principal.role))
    except Unauthorized:
        error = words("wrong_key")
    if error is not None:
        context = {"next": _safe_next(next), "error": error, "user": None}
        return render(request, "bench_sign_in.html", words, context, status_code=401)
    sign_in(request, principal.key_id, BENCH_KEY_ID)
    return _see_other(_safe_next(next))


@router.post("/sign-out")
def sign_out_submit(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> RedirectResponse:
    check_csrf(request, csrf)
    sign_out(request, BENCH_KEY_ID)
    return _see_other("/workbench/sign-in")


@router.post("/language")
def choose_language(
    request: Request,
    lang: Annotated[str, Form(max_length=5)] = "en",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/workbench",
) -> RedirectResponse:
    check_csrf(request, csrf)
    request.session["lang"] = language_or_default(lang)
    return _see_other(_safe_next(next))


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


@router.get("")
def bench(
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    user: BenchUser,
    words: WordsDep,
    mine: bool = False,
) -> HTMLResponse:
    return render(request, "bench.html", words, _list_context(request, session, ctx, user, words, mine))


@router.get("/live")
def bench_fragment(
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    user: BenchUser,
    words: WordsDep,
    mine: bool = False,
) -> HTMLResponse:
    return render(request, "_bench_list.html", words, _list_context(request, session, ctx, user, words, mine))


# --- actions ---------------------------------------------------------------------------------


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _problem_text(exc: ValidationError | DomainError) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return exc.detail


async def _run(
    request: Request,
    ctx: ContextDep,
    user: Principal,
    key: str,
    raw_form: dict[str, Any],
    build: Any,
) -> Response:
    """Run an action once per Idempotency-Key: a resend after a lost answer gets the first answer."""
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
        detail = _problem_text(exc)
        if _wants_json(request):
            return JSONResponse(
                {"title": "Not done", "status": status, "detail": detail},
                status_code=status,
                media_type="application/problem+json",
            )
        request.session["bench_flash"] = detail
        return _see_other("/workbench")
    if _wants_json(request):
        headers = {"Idempotency-Replayed": "true"} if result.replayed else {}
        return JSONResponse(result.body, headers=headers)
    request.session["bench_flash"] = str(result.body.get("message", ""))
    return _see_other("/workbench")


@router.post("/orders/{reference}/stages/{stage}", response_model=None)
async def stage_action(
    reference: str,
    stage: str,
    request: Request,
    ctx: ContextDep,
    user: BenchUser,
    words: WordsDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
    action: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=64)] = "",
    finish: Annotated[str, Form(max_length=40)] = "",
    finish_date: Annotated[str, Form(max_length=20)] = "",
    cost_estimate: Annotated[str, Form(max_length=40)] = "",
    cost_actual: Annotated[str, Form(max_length=40)] = "",
    currency: Annotated[str, Form(max_length=3)] = "",
    next_update: Annotated[str, Form(max_length=40)] = "",
    internal_note: Annotated[str, Form(max_length=2000)] = "",
    customer_note: Annotated[str, Form(max_length=1000)] = "",
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
    idempotency_header: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    check_csrf(request, csrf)
    form = StageForm(
        action=action,
        reason=reason,
        finish=finish,
        finish_date=finish_date,
        cost_estimate=cost_estimate,
        cost_actual=cost_actual,
        currency=currency,
        next_update=next_update,
        internal_note=internal_note,
        customer_note=customer_note,
    )
    week = office_hours_of(ctx.db)

    def build(now: Any) -> Any:
        body = StageUpdateIn.model_validate(update_body(form, user.name, now, week))

        def use_case(session: Any) -> Done:
            view = apply_stage_update(session, reference, stage, body, user, now, ctx.view)
            return Done(
                order=reference, stage=stage, version=view.version, message=words("wb_done_" + action)
            )

        return use_case

    raw = {"reference": reference, "stage": stage, **dataclasses.asdict(form)}
    return await _run(request, ctx, user, idempotency_header or idempotency_key, raw, build)


@router.post("/orders/{reference}/requests/{request_id}/answer", response_model=None)
async def answer(
    reference: str,
    request_id: int,
    request: Request,
    ctx: ContextDep,
    user: BenchUser,
    words: WordsDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
    text: Annotated[str, Form(max_length=2000)] = "",
    outcome: Annotated[str, Form(max_length=20)] = "",
    stage: Annotated[str, Form(max_length=64)] = "",
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
    idempotency_header: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    check_csrf(request, csrf)

    def build(now: Any) -> Any:
        body = RequestAnswerIn.model_validate(
            {"text": text, "outcome": outcome or None, "stage": stage or None}
        )

        def use_case(session: Any) -> Done:
            answer_request(session, reference, request_id, body, user, now)
            return Done(order=reference, stage=stage or None, message=words("wb_answered"))

        return use_case

    raw = {"reference": reference, "request": request_id, "text": text, "outcome": outcome, "stage": stage}
    return await _run(request, ctx, user, idempotency_header or idempotency_key, raw, build)


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
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return _see_other(f"/workbench/sign-in?next={quote(target)}")

    app.add_exception_handler(BenchSignInRequired, _sign_in_required)
    app.include_router(router)
    app.mount("/workbench/static", StaticFiles(directory=HERE / "static"), name="workbench_static")
