"""Server-rendered pages (Jinja2 + htmx). `create_app` registers them with one line:
`app.include_router(pages_router)` with `from spineconsult.web.pages.routes import pages_router`."""

from __future__ import annotations

from fastapi import APIRouter

from spineconsult.web.pages import home, library, login, operator, patient, reviewer, specialist

ROUTERS = tuple(m.router for m in (home, login, patient, specialist, reviewer, operator, library))

pages_router = APIRouter(include_in_schema=False)
for _router in ROUTERS:
    pages_router.include_router(_router)

__all__ = ["ROUTERS", "pages_router"]
