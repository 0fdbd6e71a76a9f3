"""The one command-line entry point: `spineconsult ...`. Commands stay thin."""

from __future__ import annotations

import typer

from spineconsult import __version__
from spineconsult.deid.cli import deid_app

app = typer.Typer(
    help="spineconsult: assessment, consultation and library for life after spine surgery.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(deid_app, name="deid")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    app()
