"""The home page and the static files (CSS, vendored htmx)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, Response

from spineconsult.consult.errors import NotFound
from spineconsult.web.pages.errors import PageRoute
from spineconsult.web.pages.page import Page, page, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

STATIC = Path(__file__).resolve().parents[1] / "static"
MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript"}
# Only files that ship with the package are served; the path never reaches the file system unchecked.
STATIC_FILES = {p.relative_to(STATIC).as_posix(): p for p in STATIC.rglob("*") if p.suffix in MEDIA_TYPES}


@router.get("/")
def home(p: Page = Depends(page)) -> Response:
    return render(p, "pages/home.html")


@router.get("/static/{name:path}")
def static_file(name: str) -> Response:
    path = STATIC_FILES.get(name)
    if path is None:
        raise NotFound(f"no static file {name}")
    headers = {"Cache-Control": "public, max-age=86400"}
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=headers)
