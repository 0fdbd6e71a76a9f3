"""Commands of the service: serve, users, worker. Each parses, calls one use case, prints."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from spineconsult.consult import accounts, demo, worker
from spineconsult.consult.context import ServiceContext, build_context
from spineconsult.consult.errors import ConsultError
from spineconsult.consult.schemas import AccountIn
from spineconsult.settings import Settings
from spineconsult.store.db import make_engine
from spineconsult.store.schema import upgrade_database

users_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
DEMO_DB = "demo.sqlite3"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def migrate(settings: Settings) -> None:
    """Apply pending migrations to the configured database."""
    engine = make_engine(settings.effective_database_url)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()


def _context(settings: Settings) -> ServiceContext:
    migrate(settings)
    return build_context(settings)


@users_app.command("add")
def users_add(
    role: Annotated[str, typer.Option(help="patient | specialist | reviewer | operator")],
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option()],
    specialty: Annotated[str | None, typer.Option(help="spine_surgery | pain_medicine (specialists)")] = None,
    name: Annotated[str, typer.Option()] = "",
    phone: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create an account."""
    try:
        data = AccountIn(
            role=role, email=email, password=password, specialty=specialty, name=name, phone=phone
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _fail(f"--{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
    ctx = _context(Settings())
    try:
        created = accounts.create_account(ctx, data)
    except ConsultError as exc:
        raise _fail(exc.message) from None
    finally:
        ctx.close()
    typer.echo(f"created {created.role} {created.email} (id {created.id})")


def worker_cmd(
    once: Annotated[bool, typer.Option("--once", help="one pass, then exit")] = False,
    interval: Annotated[float | None, typer.Option(help="seconds between passes")] = None,
) -> None:
    """Escalate cases near their due time, record breaches and deliver e-mail."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx = _context(Settings())
    try:
        if once:
            typer.echo(worker.run_once(ctx).model_dump_json())
            return
        asyncio.run(worker.run_forever(ctx, interval))
    except KeyboardInterrupt:
        pass
    finally:
        ctx.close()


def _fresh_demo_database(settings: Settings) -> Settings:
    """A new SQLite file in the data directory (the old demo file is removed)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = (settings.data_dir / DEMO_DB).resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return settings.model_copy(update={"database_url": f"sqlite:///{path}"})


def _print_logins(logins: list[demo.DemoLogin], url: str) -> None:
    typer.echo(f"\nspineconsult demo at {url}  (API reference: {url}/docs)\n")
    typer.echo(f"{'role':<11} {'e-mail':<34} password")
    for login in logins:
        typer.echo(f"{login.role:<11} {login.email:<34} {login.password}")
    typer.echo("")


def _embed_library(url: str) -> None:
    """At startup: embed library entries still pending, or whose vectors another model made (a new or
    removed adapter), in the background; search uses full text for them meanwhile."""
    from spineconsult.library.index import embed_everything_pending
    from spineconsult.store.db import make_session_factory

    log = logging.getLogger("spineconsult")
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            count = embed_everything_pending(session)
        if count:
            log.info("library: %d entries embedded at startup", count)
    except Exception:
        log.exception("library: embedding at startup failed (run `spineconsult reindex`)")
    finally:
        engine.dispose()


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=16, help="server processes")] = 1,
    demo_data: Annotated[
        bool, typer.Option("--demo", help="fresh SQLite file with demo accounts and cases")
    ] = False,
    no_worker: Annotated[bool, typer.Option("--no-worker", help="do not run the background worker")] = False,
) -> None:
    """Apply pending migrations, then serve the API (and pages) with uvicorn."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    if demo_data:
        settings = _fresh_demo_database(settings)
        os.environ["SPINECONSULT_DATABASE_URL"] = settings.effective_database_url
    started = time.monotonic()
    ctx = _context(settings)
    logging.getLogger("spineconsult").info("migrations applied in %.2f s", time.monotonic() - started)
    if not settings.smtp_host:
        logging.getLogger("spineconsult").warning(
            "SPINECONSULT_SMTP_HOST is not set: e-mail waits in the outbox"
        )
    if demo_data:
        _print_logins(demo.seed_demo(ctx), f"http://{host}:{port}")
    ctx.close()
    threading.Thread(target=_embed_library, args=(settings.effective_database_url,), daemon=True).start()
    os.environ["SPINECONSULT_RUN_WORKER"] = "0" if no_worker else "1"
    uvicorn.run(
        "spineconsult.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
