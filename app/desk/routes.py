"""The desk's pages: thin like the API's routes, but they answer in HTML.

Reads are plain GETs; every form posts with its CSRF token and then redirects (post/redirect/get),
so a reload never sends a form twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field, ValidationError

from app.deps import SESSION_KEY_ID, ContextDep, SessionDep
from app.desk import views
from app.desk.door import Door, PageForm, TokenField, WordsDep, problem_text, see_other, words_for
from app.desk.i18n import Words
from app.desk.session import CsrfRejected
from app.domain.access import Principal
from app.domain.errors import DomainError, field_error
from app.domain.period import resolve_period
from app.domain.quick_picks import quick_picks
from app.models.desk import AcknowledgementIn, Channel, InquiryCategory, InquiryIn
from app.models.event import EVENT_TYPES
from app.models.requests import RequestIn
from app.services.acknowledgements import record_acknowledgement
from app.services.calendars import office_hours_of
from app.services.inquiries import log_inquiry
from app.services.requests import open_request

HERE = Path(__file__).parent
DESK_ROLES = ("agent", "admin")
DESK_TEMPLATES = HERE / "templates"
templates = Jinja2Templates(directory=DESK_TEMPLATES)

router = APIRouter(prefix="/desk", include_in_schema=False)
BodyT = TypeVar("BodyT", bound=BaseModel)


class SignInRequired(Exception):
    """The desk needs a signed-in agent; pages redirect to the sign-in form, fragments answer 401."""


DESK = Door(
    root="/desk",
    slot=SESSION_KEY_ID,
    roles=DESK_ROLES,
    templates=templates,
    sign_in_page="sign_in.html",
    required=SignInRequired,
    flash_slot="flash",
    flash_is_key=True,
    wrong_role=lambda words, role: words("wrong_role", role=role),
)
DeskUser = Annotated[Principal, Depends(DESK.user)]


async def desk_form(
    request: Request, ctx: ContextDep, user: DeskUser, words: WordsDep, csrf: TokenField = ""
) -> PageForm:
    return PageForm(request, ctx, user, words, csrf)


DeskForm = Annotated[PageForm, Depends(desk_form)]
render = DESK.render
DESK.add_routes(router)


# --- the queues ------------------------------------------------------------------------------


def _queues(
    session: SessionDep,
    ctx: ContextDep,
    words: WordsDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> views.QueuesPage:
    return views.queues_page(session, q, ctx.clock.now(), words, ctx.view)


QueuesDep = Annotated[views.QueuesPage, Depends(_queues)]


@router.get("")
def queues_page(request: Request, user: DeskUser, words: WordsDep, page: QueuesDep) -> HTMLResponse:
    live_url = "/desk/live/queues" + (f"?q={quote(page.query)}" if page.query else "")
    context = {"user": user, "page": page, "live_url": live_url, "event_types": ",".join(EVENT_TYPES)}
    return render(request, "queues.html", words, context)


@router.get("/live/queues")
def queues_fragment(request: Request, user: DeskUser, words: WordsDep, page: QueuesDep) -> HTMLResponse:
    return render(request, "_live_queues.html", words, {"user": user, "page": page})


# --- an order --------------------------------------------------------------------------------


def _order_context(
    request: Request, session: SessionDep, ctx: ContextDep, user: Principal, words: Words, reference: str
) -> dict[str, Any]:
    page = views.order_page(session, reference, ctx.clock.now(), ctx.view, words)
    return {
        "user": user,
        "page": page,
        "order": page.order,
        "channels": [c.value for c in Channel],
        "categories": [c.value for c in InquiryCategory],
        "stream_url": f"/v1/stream?order={quote(reference)}",
        "live_url": f"/desk/orders/{quote(reference)}/live",
        "event_types": ",".join(EVENT_TYPES),
        "errors": {},
        "values": {},
    }


@router.get("/orders/{reference}")
def order_page(
    reference: str, request: Request, session: SessionDep, ctx: ContextDep, user: DeskUser, words: WordsDep
) -> HTMLResponse:
    try:
        context = _order_context(request, session, ctx, user, words, reference)
    except DomainError as exc:
        return render(
            request, "problem.html", words, {"user": user, "problem": exc}, status_code=exc.status_code
        )
    return render(request, "order.html", words, context)


@router.get("/orders/{reference}/live")
def order_fragment(
    reference: str, request: Request, session: SessionDep, ctx: ContextDep, user: DeskUser, words: WordsDep
) -> HTMLResponse:
    context = _order_context(request, session, ctx, user, words, reference)
    return render(request, "_order_live.html", words, {**context, "part": None})


def _validated(model: type[BodyT], fields: dict[str, Any]) -> Callable[[datetime], BodyT]:
    """A form's body that does not depend on the time, validated only when the form is run."""
    return lambda _now: model.model_validate(fields)


FLASHES = {"ack": "acknowledged", "inquiry": "inquiry_logged", "ask": "request_sent"}
ANCHORS = {"ack": "told", "ask": "requests"}


async def _form_outcome(
    page: PageForm,
    reference: str,
    form: str,
    values: dict[str, Any],
    body_at: Callable[[datetime], BaseModel],
    use_case: Callable[..., Any],
) -> Response:
    """Validate a form's body and run its use case on it; on success redirect to the order,
    otherwise show the form again."""
    page.check()
    request, ctx, user, words = page.request, page.ctx, page.user, page.words
    now = ctx.clock.now()
    try:
        body = body_at(now)
        await ctx.writer.run(lambda session: use_case(session, reference, body, user, now))
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code == 404:
            return render(request, "problem.html", words, {"user": user, "problem": exc}, status_code=404)
        message = problem_text(exc)
        with ctx.db.read_session() as session:
            context = _order_context(request, session, ctx, user, words, reference)
        context["errors"] = {form: message}
        context["values"] = {form: values}
        return render(request, "order.html", words, context, status_code=422)
    request.session["flash"] = FLASHES[form]
    # After "I told the customer" the page opens on the "Last told" card, which now says so.
    return see_other(f"/desk/orders/{quote(reference)}#{ANCHORS.get(form, form)}")


class AcknowledgementForm(BaseModel):
    order_version: str = Field("", max_length=12)
    channel: str = Field("", max_length=20)
    note: str = Field("", max_length=2000)


class InquiryForm(BaseModel):
    channel: str = Field("", max_length=20)
    category: str = Field("", max_length=20)
    text: str = Field("", max_length=4000)
    stage: str = Field("", max_length=64)


class RequestForm(BaseModel):
    kind: str = Field("", max_length=20)
    stage: str = Field("", max_length=64)
    text: str = Field("", max_length=4000)
    answer_by: str = Field("", max_length=40)


@router.post("/orders/{reference}/acknowledgements", response_model=None)
async def acknowledge(
    reference: str, page: DeskForm, form: Annotated[AcknowledgementForm, Form()]
) -> Response:
    fields = {"order_version": form.order_version, "channel": form.channel, "note": form.note.strip() or None}
    body_at = _validated(AcknowledgementIn, fields)
    values = form.model_dump(exclude={"order_version"})
    return await _form_outcome(page, reference, "ack", values, body_at, record_acknowledgement)


@router.post("/orders/{reference}/inquiries", response_model=None)
async def inquiry(reference: str, page: DeskForm, form: Annotated[InquiryForm, Form()]) -> Response:
    fields = {**form.model_dump(), "text": form.text.strip(), "stage": form.stage or None}
    body_at = _validated(InquiryIn, fields)
    return await _form_outcome(page, reference, "inquiry", form.model_dump(), body_at, log_inquiry)


@router.post("/orders/{reference}/requests", response_model=None)
async def ask_back_office(reference: str, page: DeskForm, form: Annotated[RequestForm, Form()]) -> Response:
    def body_at(now: datetime) -> RequestIn:
        picks = quick_picks(now, office_hours_of(page.ctx.db))
        due = picks.get(form.answer_by)
        if form.answer_by and due is None:
            raise field_error("answer_by", f"answer_by must be one of {', '.join(picks)}")
        answer_by = due.isoformat() if due else None
        return RequestIn.model_validate(
            {**form.model_dump(), "stage": form.stage or None, "answer_by": answer_by}
        )

    return await _form_outcome(page, reference, "ask", form.model_dump(), body_at, open_request)


# --- reports ---------------------------------------------------------------------------------


@router.get("/reports")
def reports_page(
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    user: DeskUser,
    words: WordsDep,
    from_: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    to: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    try:
        # The fields show dates as the page writes them ("Sun 1 Nov 2026"); ISO dates work too.
        period = resolve_period(
            words.parse_day(from_) or None, words.parse_day(to) or None, ctx.clock.now(), ctx.view.zone
        )
    except DomainError as exc:
        return render(request, "problem.html", words, {"user": user, "problem": exc}, status_code=422)
    page = views.reports_page(session, period, words)
    return render(request, "reports.html", words, {"user": user, "page": page})


# --- wiring ----------------------------------------------------------------------------------


def install(app: FastAPI) -> None:
    async def _sign_in_required(request: Request, exc: Exception) -> Response:
        if "/live/" in request.url.path or request.url.path.endswith("/live"):
            return Response("signed out", status_code=401, media_type="text/plain")
        return DESK.sign_in_first(request)

    async def _csrf_rejected(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CsrfRejected)
        words = await words_for(request)
        return render(request, "problem.html", words, {"user": None, "problem": exc}, status_code=403)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # Browsers ask every site for it; a 404 on every page load is noise in every log.
        return FileResponse(HERE / "static" / "favicon.ico", media_type="image/x-icon")

    app.add_exception_handler(SignInRequired, _sign_in_required)
    app.add_exception_handler(CsrfRejected, _csrf_rejected)
    app.include_router(router)
    app.mount("/desk/static", StaticFiles(directory=HERE / "static"), name="desk_static")
