"""Server-rendered pages (Jinja2 + htmx): routers in `routes.py`, cookie sessions and CSRF in
`session.py`, templates and static files beside this package. `create_app` includes `router`."""

from spineconsult.web.pages.routes import pages_router as router

__all__ = ["router"]
