"""`spineconsult serve` migrates and serves; the in-process worker delivers mail while it runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from spineconsult.consult import notifications
from spineconsult.web.app import create_app

from .smtp import free_port, smtp_server

SPINECONSULT = Path(sys.executable).with_name("spineconsult")


def test_serve_applies_migrations_and_answers(tmp_path):
    port = free_port()
    env = {**os.environ, "SPINECONSULT_DATA_DIR": str(tmp_path / "data")}
    env.pop("SPINECONSULT_DATABASE_URL", None)
    server = subprocess.Popen(
        [str(SPINECONSULT), "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        library = httpx.get(f"http://127.0.0.1:{port}/api/v1/library", timeout=5)
        assert library.json() == {"query": "", "items": [], "total": 0}
        assert (tmp_path / "data" / "spineconsult.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_in_process_worker_delivers_mail(settings, ctx):
    with smtp_server() as (inbox, port):
        fast = settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": port, "worker_interval_seconds": 0.1}
        )
        ctx.settings = fast
        ctx.mailer = notifications.SmtpMailer(fast)
        with ctx.write() as session:
            notifications.enqueue(
                session, ctx, ["alice@example.org"], "Your specialist has answered", "Read it"
            )
        with TestClient(create_app(fast, ctx=ctx, run_worker=True)):
            deadline = time.monotonic() + 10
            while not inbox.messages and time.monotonic() < deadline:
                time.sleep(0.05)
    assert [m["Subject"] for m in inbox.messages] == ["Your specialist has answered"]
