"""How a person gets into a page (the desk, the workbench): signing in and out, the language,
who is signed in, and a page rendered with its session's flash and CSRF token.

Each page signs its own people in, with its own roles, in its own slot of the one cookie session,
so a browser may hold both sign-ins; the rules are the same and written once, here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from app.context import AppContext
from app.deps import ContextDep, signed_in_key
from app.desk.i18n import LANGUAGES, Words, language_or_default
from app.desk.session import check_csrf, csrf_token, sign_in, sign_out
from app.domain.access import Principal
from app.domain.errors import DomainError, Unauthorized
from app.services.keys import authenticate, principal_for_key

#: The pages load nothing from elsewhere and run no inline script.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


async def words_for(request: Request) -> Words:
    session: dict[str, Any] = request.scope.get("session", {})
    ctx = request.app.state.ctx
    return Words(language_or_default(session.get("lang")), ctx.view.zone)


WordsDep = Annotated[Words, Depends(words_for)]
TokenField = Annotated[str, Form(max_length=200)]
NextField = Annotated[str, Form(max_length=500)]


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def path_and_query(request: Request) -> str:
    """Where a request went, as a link back to it: its path, and its query if it has one."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def problem_text(exc: ValidationError | DomainError) -> str:
    """What a refused form is told: the validation messages, or the problem's detail."""
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return exc.detail


@dataclass(frozen=True)
class PageForm:
    """A form posted to a page: who sent it, in which words, and the CSRF token it carried.

    The token is checked by the route (``check``) after the form's fields were read, so a form
    that does not parse is told so before a stale token is.
    """

    request: Request
    ctx: AppContext
    user: Principal
    words: Words
    csrf: str

    def check(self) -> None:
        check_csrf(self.request, self.csrf)


@dataclass(frozen=True)
class Door:
    #: The page's path, e.g. "/desk": sign-in sends people back only below it.
    root: str
    #: The session slot that holds the id of the key signed in here.
    slot: str
    roles: tuple[str, ...]
    templates: Jinja2Templates
    sign_in_page: str
    #: Raised when nobody (or nobody allowed) is signed in; the page's handler redirects.
    required: type[Exception]
    flash_slot: str
    #: Whether the flash is a text key to translate (and to hand the page as ``flash_key``).
    flash_is_key: bool
    #: What the sign-in form says to a valid key of another role.
    wrong_role: Callable[[Words, str], str]

    def user(self, request: Request, ctx: ContextDep) -> Principal:
        key_id = signed_in_key(request, self.slot)
        if key_id is None:
            raise self.required
        try:
            with ctx.db.read_session() as session:
                principal = principal_for_key(session, key_id, ctx.clock.now())
        except Unauthorized as exc:
            sign_out(request, self.slot)
            raise self.required from exc
        if principal.role not in self.roles:
            sign_out(request, self.slot)
            raise self.required
        return principal

    def render(
        self, request: Request, name: str, words: Words, context: dict[str, Any], *, status_code: int = 200
    ) -> HTMLResponse:
        session: dict[str, Any] = request.scope.get("session", {})
        flash = session.pop(self.flash_slot, None)
        said = flash if isinstance(flash, str) else None
        shown: dict[str, Any] = {"flash": words(said) if said is not None and self.flash_is_key else said}
        if self.flash_is_key:
            shown["flash_key"] = said
        response = self.templates.TemplateResponse(
            request,
            name,
            {
                "t": words,
                "csrf": csrf_token(request),
                **shown,
                "languages": LANGUAGES,
                "here": path_and_query(request),
                **context,
            },
            status_code=status_code,
        )
        response.headers.update(SECURITY_HEADERS)
        return response

    def safe_next(self, target: str | None) -> str:
        # Only a path inside this page: never an address elsewhere (an open redirect).
        if target and target.startswith(self.root) and not target.startswith("//") and "\\" not in target:
            return target
        return self.root

    def sign_in_first(self, request: Request) -> RedirectResponse:
        """Send the browser to this page's sign-in, and back to where it was going afterwards."""
        return see_other(f"{self.root}/sign-in?next={quote(path_and_query(request))}")

    def add_routes(self, router: APIRouter) -> None:
        """Sign-in (form and submit), sign-out and the language, below the router's prefix."""
        door = self

        @router.get("/sign-in")
        def sign_in_form(request: Request, words: WordsDep, next: str | None = None) -> HTMLResponse:
            context = {"next": door.safe_next(next), "error": None, "user": None}
            return door.render(request, door.sign_in_page, words, context)

        @router.post("/sign-in", response_model=None)
        def sign_in_submit(
            request: Request,
            ctx: ContextDep,
            words: WordsDep,
            key: TokenField = "",
            csrf: TokenField = "",
            next: NextField = door.root,
        ) -> Response:
            check_csrf(request, csrf)
            error = None
            try:
                principal = authenticate(ctx.db, key.strip(), ctx.clock.now())
                if principal.role not in door.roles:
                    error = door.wrong_role(words, principal.role)
            except Unauthorized:
                error = words("wrong_key")
            if error is not None:
                context = {"next": door.safe_next(next), "error": error, "user": None}
                return door.render(request, door.sign_in_page, words, context, status_code=401)
            sign_in(request, principal.key_id, door.slot)
            return see_other(door.safe_next(next))

        @router.post("/sign-out")
        def sign_out_submit(request: Request, csrf: TokenField = "") -> RedirectResponse:
            check_csrf(request, csrf)
            sign_out(request, door.slot)
            return see_other(f"{door.root}/sign-in")

        @router.post("/language")
        def choose_language(
            request: Request,
            lang: Annotated[str, Form(max_length=5)] = "en",
            csrf: TokenField = "",
            next: NextField = door.root,
        ) -> RedirectResponse:
            check_csrf(request, csrf)
            request.session["lang"] = language_or_default(lang)
            return see_other(door.safe_next(next))
