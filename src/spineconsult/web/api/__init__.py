"""The JSON API under /api/v1 (see docs/api.md)."""

from __future__ import annotations

from fastapi import APIRouter

from spineconsult.web.api import admin, auth, cases, library


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    for module in (auth, cases, library, admin):
        router.include_router(module.router)
    return router
