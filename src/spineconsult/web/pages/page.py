"""What every page handler receives (the `Page`), rendering, redirects and the CSRF check.

Handlers stay thin: `Depends(page)` or `Depends(actor_page)` → parse the form → one use-case call →
`render(...)`. Permissions are decided by the use cases; their refusals become pages in `errors.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from spineconsult.consult import accounts
from spineconsult.consult.actors import Actor
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import NotFound
from spineconsult.web.pages import session as cookie
from spineconsult.web.pages.errors import CsrfRefused, LoginRequired
from spineconsult.web.pages.filters import FILTERS

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parents[1] / "templates")
TEMPLATES.env.filters.update(FILTERS)


@dataclass
class Page:
    """One page request: the service, the browser's session and who is logged in (None: nobody)."""

    request: Request
    ctx: ServiceContext
    session: cookie.PageSession
    actor: Actor | None

    @property
    def secure_cookie(self) -> bool:
        return bool(self.ctx.settings.environment == "production")


@dataclass
class ActorPage(Page):
    """A page that needs someone logged in; `actor` is never None here."""

    actor: Actor


def service_context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


def page(request: Request) -> Page:
    ctx = service_context(request)
    session = cookie.load(request, ctx.settings.secret_key)
    return Page(request, ctx, session, _actor_of(ctx, session))


def actor_page(request: Request) -> ActorPage:
    """Like `page`, but someone must be logged in; otherwise the browser goes to the login page."""
    base = page(request)
    if base.actor is None:
        raise LoginRequired(_here(request))
    return ActorPage(base.request, base.ctx, base.session, base.actor)


def _actor_of(ctx: ServiceContext, session: cookie.PageSession) -> Actor | None:
    if session.user_id is None:
        return None
    try:
        return accounts.get_actor(ctx, session.user_id)
    except NotFound:  # the account was deactivated or removed since the login
        return None


def _here(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}{query}"


async def checked_form(request: Request) -> AsyncIterator[FormData]:
    """The submitted form, after its CSRF token (field or htmx header) matched the session's.

    Uploaded files are closed when the response is done (a dependency with `yield`).
    """
    form = await request.form()
    try:
        _check_csrf(request, form)
        yield form
    finally:
        await form.close()


def _check_csrf(request: Request, form: FormData) -> None:
    ctx = service_context(request)
    session = cookie.load(request, ctx.settings.secret_key)
    token = form.get(cookie.CSRF_FIELD) or request.headers.get(cookie.CSRF_HEADER)
    if session.is_new or not cookie.csrf_ok(session, token if isinstance(token, str) else None):
        raise CsrfRefused()


def base_context(p: Page) -> dict[str, Any]:
    return {
        "viewer": p.actor,
        "csrf": p.session.csrf,
        "service_hours": _hours(p.ctx.settings.service_level_hours),
        "errors": {},
        "form": {},
    }


def _hours(value: float) -> str:
    return f"{value:g}"


def render(p: Page, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A full page (or an htmx fragment) with the session cookie kept up to date."""
    values = base_context(p) | context
    response = TEMPLATES.TemplateResponse(p.request, template, values, status_code=status)
    _keep_session(p, response)
    return response


def redirect(p: Page, url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    _keep_session(p, response)
    return response


def _keep_session(p: Page, response: Response) -> None:
    if p.session.needs_storing:
        cookie.store(response, p.session, p.ctx.settings.secret_key, secure=p.secure_cookie)


def start_session(p: Page, actor: Actor | None, url: str) -> RedirectResponse:
    """Log in (or out with None): always a brand-new session and CSRF token."""
    p.session = cookie.new_session(actor.id if actor else None)
    return redirect(p, url)


def safe_next(next_url: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if next_url and next_url.startswith("/") and not next_url.startswith("//") and "\\" not in next_url:
        return next_url
    return "/"
