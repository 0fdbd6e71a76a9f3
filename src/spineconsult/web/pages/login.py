"""Log in and out with the backend's password check and rate limit; every login starts a new session."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.datastructures import FormData

from spineconsult.consult import accounts
from spineconsult.consult.errors import Conflict, RateLimited, Unauthorized
from spineconsult.web.pages import forms
from spineconsult.web.pages.errors import PageRoute
from spineconsult.web.pages.forms import text
from spineconsult.web.pages.page import Page, checked_form, page, redirect, render, safe_next, start_session

router = APIRouter(route_class=PageRoute, include_in_schema=False)

HOME_OF_ROLE = {"patient": "/cases", "specialist": "/queue", "reviewer": "/reviews", "operator": "/operator"}


@router.get("/login")
def login_form(next: str = "", p: Page = Depends(page)) -> Response:
    if p.actor is not None:
        return redirect(p, safe_next(next) if next else HOME_OF_ROLE[p.actor.role])
    return render(p, "pages/login.html", next_url=safe_next(next) if next else "")


@router.post("/login")
def login_submit(p: Page = Depends(page), form: FormData = Depends(checked_form)) -> Response:
    email, next_url = text(form, "email"), text(form, "next")
    try:
        actor = accounts.authenticate(p.ctx, email, str(form.get("password") or ""))
    except (Unauthorized, RateLimited) as err:
        status = 429 if isinstance(err, RateLimited) else 401
        message = err.message[:1].upper() + err.message[1:] + "."
        return render(p, "pages/login.html", status=status, error=message, email=email, next_url=next_url)
    return start_session(p, actor, safe_next(next_url) if next_url else HOME_OF_ROLE[actor.role])


@router.post("/logout")
def logout(p: Page = Depends(page), form: FormData = Depends(checked_form)) -> Response:
    return start_session(p, None, "/")


@router.get("/register")
def register_form(p: Page = Depends(page)) -> Response:
    return render(p, "pages/register.html")


@router.post("/register")
def register_submit(p: Page = Depends(page), form: FormData = Depends(checked_form)) -> Response:
    """A new patient account, logged in at once."""
    parsed = forms.registration(form)
    if parsed.errors:
        return render(p, "pages/register.html", 422, form=parsed.values, errors=parsed.errors)
    try:
        account = accounts.register_patient(p.ctx, parsed.model)
    except Conflict:
        errors = {"email": "An account with this e-mail exists already. Log in instead."}
        return render(p, "pages/register.html", 422, form=parsed.values, errors=errors)
    return start_session(p, accounts.get_actor(p.ctx, account.id), "/ask")
