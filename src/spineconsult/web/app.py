"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from spineconsult import __version__
from spineconsult.consult import worker
from spineconsult.consult.context import ServiceContext, build_context
from spineconsult.settings import Settings
from spineconsult.web.api import api_router
from spineconsult.web.errors import install_error_handlers
from spineconsult.web.limits import BodyLimit

PAGES_MODULE = "spineconsult.web.pages"


def create_app(settings: Settings, *, ctx: ServiceContext | None = None, run_worker: bool = False) -> FastAPI:
    """The service over `settings` (database already migrated); `run_worker` starts the in-process worker."""
    context = ctx or build_context(settings)
    app = FastAPI(title="spineconsult", version=__version__, lifespan=_lifespan(context, run_worker))
    app.state.ctx = context
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, max_upload_bytes=settings.max_attachment_bytes
    )
    app.include_router(api_router())
    app.add_api_route("/healthz", _health, methods=["GET"], include_in_schema=False)
    # --- HTML pages (branch `pages`): included here when spineconsult.web.pages exists ---
    if importlib.util.find_spec(PAGES_MODULE):
        app.include_router(importlib.import_module(PAGES_MODULE).router)
    return app


def _health() -> dict[str, str]:
    return {"status": "ok"}


def _lifespan(ctx: ServiceContext, run_worker: bool):  # type: ignore[no-untyped-def]
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(_warm_up, ctx)
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run_forever(ctx, stop=stop)) if run_worker else None
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                await task  # lets the pass in progress finish before the database closes
            ctx.close()

    return lifespan


def _warm_up(ctx: ServiceContext) -> None:
    """Load the engine's knowledge pack before the first request instead of during it."""
    try:
        ctx.assessor({"message": "warm-up before serving"})
    except Exception:
        logging.getLogger("spineconsult.web").exception("engine warm-up failed")


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` (one per worker process): settings from SPINECONSULT_* variables."""
    import os

    return create_app(Settings(), run_worker=os.environ.get("SPINECONSULT_RUN_WORKER", "1") == "1")
