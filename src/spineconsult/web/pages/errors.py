"""Refusals become pages: a login redirect, or a plain 403/404/... page; never a traceback.

`PageRoute` is the route class of every page router. It catches the use cases' refusals
(`ConsultError`) and the page layer's own (`PageError`) for page routes only, so the JSON API keeps its
own error format.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from spineconsult.consult.errors import ConsultError, RateLimited, Unauthorized

log = logging.getLogger("spineconsult.web.pages")


class PageError(Exception):
    status = 400
    title = "Something is not right"


class LoginRequired(PageError):
    status = 303

    def __init__(self, next_url: str) -> None:
        super().__init__("log in first")
        self.next_url = next_url


class CsrfRefused(PageError):
    status = 403
    title = "This form has expired"

    def __init__(self) -> None:
        super().__init__(
            "For your safety we did not accept that form: it was not sent from a page of this site, or it "
            "is too old. Go back, reload the page and send it again."
        )


TITLES = {
    401: "Please log in",
    403: "You cannot open this page",
    404: "Page not found",
    409: "This cannot be done now",
    413: "The file is too large",
    415: "This type of file is not accepted",
    422: "Please check what you entered",
    429: "Too many attempts",
    503: "Temporarily unavailable",
}
MESSAGES = {
    404: "There is nothing here, or it is not yours to see.",
    500: "Something went wrong on our side. It has been logged; please try again in a moment.",
}

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class PageRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired as err:
                return RedirectResponse(f"/login?next={quote(err.next_url, safe='/')}", status_code=303)
            except (PageError, ConsultError, RequestValidationError, HTTPException) as err:
                return error_page(request, err)
            except Exception as err:  # the last resort: logged, and a page, not a traceback
                log.exception("unexpected error on %s %s", request.method, request.url.path)
                return error_page(request, err)

        return guarded


def status_of(err: Exception) -> int:
    if isinstance(err, RequestValidationError):
        return 404  # a malformed path parameter names no page
    if isinstance(err, HTTPException):  # e.g. the body-size limit while a form is read: 413
        return err.status_code
    if not isinstance(err, PageError | ConsultError):
        return 500
    return int(err.status)


def error_page(request: Request, err: Exception) -> Response:
    from spineconsult.web.pages.page import page, render  # page.py imports this module

    status = status_of(err)
    if isinstance(err, Unauthorized):
        return RedirectResponse(f"/login?next={quote(request.url.path, safe='/')}", status_code=303)
    title = err.title if isinstance(err, PageError) else TITLES.get(status, "Something went wrong")
    message = MESSAGES.get(status) or str(getattr(err, "message", None) or getattr(err, "detail", err))
    headers = {"Retry-After": str(err.retry_after)} if isinstance(err, RateLimited) else None
    response = render(page(request), "pages/error.html", status=status, title=title, message=message)
    if headers:
        response.headers.update(headers)
    return response
