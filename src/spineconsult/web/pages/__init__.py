"""Server-rendered pages (Jinja2 + htmx): routers in `routes.py`, cookie sessions and CSRF in
`session.py`, templates and static files beside this package."""
