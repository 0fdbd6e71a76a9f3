"""The one command-line entry point: `spineconsult ...`. Commands stay thin."""

from __future__ import annotations

import typer

from spineconsult import __version__
from spineconsult.deid.cli import deid_app
from spineconsult.engine.cli import assess_cmd, demo_cmd
from spineconsult.library.cli import library_app, reindex_cmd
from spineconsult.web import cli as web_cli

app = typer.Typer(
    help="spineconsult: assessment, consultation and library for life after spine surgery.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(deid_app, name="deid")

app.add_typer(library_app, name="library")
app.command("reindex")(reindex_cmd)


app.command("assess")(assess_cmd)
app.command("demo")(demo_cmd)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


app.command("serve")(web_cli.serve)
app.command("worker")(web_cli.worker_cmd)
app.add_typer(web_cli.users_app, name="users")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
