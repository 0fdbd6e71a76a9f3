"""Console entry point. `spineconsult assess` and `spineconsult demo` start without importing the web
service, library or de-identification modules: measured on the merged product, those imports made the
cold start of `assess` 1.0-1.5 s (target < 1.5 s); the engine alone starts in about half that."""

from __future__ import annotations

import sys

ENGINE_COMMANDS = {"assess", "demo"}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ENGINE_COMMANDS:
        from spineconsult.engine.cli import engine_app

        engine_app()
        return
    from spineconsult.cli import main as full_cli

    full_cli()
