"""`spineconsult assess` and `spineconsult demo`: thin adapters over assess()."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from spineconsult.engine.assess import assess
from spineconsult.engine.models import Assessment, InputError


def _render(assessment: Assessment) -> None:
    # Rich is imported only for the readable report: `assess --json` and `--batch` start faster.
    from rich.console import Console

    from spineconsult.engine.report import render

    render(assessment, Console())


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        _fail(f"file: {source} does not exist or is not a file")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"file: cannot read {source}: {exc}")
    return ""


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            "json", f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None


def _batch(text: str) -> int:
    errors = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            result: dict[str, Any] = assess(_parse(line)).model_dump(mode="json")
        except InputError as err:
            errors += 1
            result = {"error": {"line": number, "field": err.field, "message": err.message}}
        typer.echo(json.dumps(result, ensure_ascii=False))
    return 1 if errors else 0


def assess_cmd(
    source: Annotated[
        str, typer.Argument(metavar="FILE|-", help="a JSON case file, or - for standard input")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="print the assessment JSON contract")] = False,
    batch: Annotated[
        bool, typer.Option("--batch", help="JSON Lines in, one JSON result per line out")
    ] = False,
) -> None:
    """Assess one case (or JSON Lines with --batch): triage, differential, plan."""
    text = _read(source)
    if batch:
        raise typer.Exit(_batch(text))
    try:
        assessment = assess(_parse(text))
    except InputError as err:
        _fail(str(err))
        return
    if as_json:
        typer.echo(json.dumps(assessment.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        _render(assessment)


def demo_cmd() -> None:
    """Assess the seed's hemilaminectomy question and print the readable report."""
    case = json.loads(
        resources.files("spineconsult.engine").joinpath("demo_case.json").read_text(encoding="utf-8")
    )
    _render(assess(case))


# The same two commands on their own, for the fast entry point (spineconsult.entry).
engine_app = typer.Typer(add_completion=False, help="spineconsult assessment engine")
engine_app.command("assess")(assess_cmd)
engine_app.command("demo")(demo_cmd)
