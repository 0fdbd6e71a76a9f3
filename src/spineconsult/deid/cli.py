"""`spineconsult deid text|pdf|dicom`: thin adapters over the deid package."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from spineconsult.deid.errors import DeidInputError
from spineconsult.deid.models import DeidResult, PolicyName
from spineconsult.deid.policy import POLICIES
from spineconsult.deid.text import deidentify_text

deid_app = typer.Typer(help="De-identify text, PDFs and DICOM files.", no_args_is_help=True)

PolicyOpt = Annotated[str, typer.Option("--policy", help="publication (type tags) or research (surrogates)")]
KnownOpt = Annotated[
    list[str] | None,
    typer.Option("--known", help="a known identity to remove (name, e-mail, phone); repeatable"),
]
CaseOpt = Annotated[str | None, typer.Option("--case-key", help="case key: consistent surrogates / UIDs")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _policy(value: str) -> PolicyName:
    if value not in POLICIES:
        raise _fail(f"--policy: {value!r} is not one of {', '.join(POLICIES)}")
    return value


def _read_input(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{source}: cannot read as UTF-8 text ({exc})") from exc


def _as_json(result: DeidResult) -> dict[str, Any]:
    return {"text": result.text, "spans": [s.model_dump(mode="json") for s in result.spans]}


def _batch_line(line: str, policy: PolicyName, known: list[str], case_key: str | None) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg}"}
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        ident = item.get("id") if isinstance(item, dict) else None
        return {"id": ident, "error": "text: required, a string"}
    key = case_key or (str(item["id"]) if item.get("id") is not None else None)
    try:
        return {"id": item.get("id"), **_as_json(deidentify_text(item["text"], policy, known, case_key=key))}
    except ValueError as exc:
        return {"id": item.get("id"), "error": str(exc)}


@deid_app.command("text")
def text_cmd(
    source: Annotated[str, typer.Argument(help="a text file, or - for standard input")],
    as_json: Annotated[bool, typer.Option("--json", help="write {text, spans}")] = False,
    batch: Annotated[bool, typer.Option("--batch", help="input is JSON Lines {id, text}")] = False,
    policy: PolicyOpt = "publication",
    known: KnownOpt = None,
    case_key: CaseOpt = None,
) -> None:
    """De-identify free text (a file or standard input)."""
    chosen, identities = _policy(policy), known or []
    if chosen == "research" and not case_key and not batch:
        raise _fail("--case-key: required with --policy research")
    content = _read_input(source)
    if batch:
        for line in (ln for ln in content.splitlines() if ln.strip()):
            typer.echo(json.dumps(_batch_line(line, chosen, identities, case_key), ensure_ascii=False))
        return
    try:
        result = deidentify_text(content, chosen, identities, case_key=case_key)
    except DeidInputError as exc:  # a configured model that cannot be loaded
        raise _fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(_as_json(result), ensure_ascii=False))
    else:
        typer.echo(result.text, nl=False)


@deid_app.command("train")
def train_cmd(
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="annotated notes: a PhysioNet-style folder (.text + .deid/-phi.phrase) or JSON Lines",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="model file to write")] = Path("deid-model.bin"),
    iterations: Annotated[int, typer.Option("--iterations", min=1, help="training iterations")] = 100,
) -> None:
    """Train a recogniser on a site's own annotated notes; use it with SPINECONSULT_DEID_MODEL=FILE."""
    from spineconsult.deid.learned import read_training_data, train

    try:
        report = train(read_training_data(data), out, max_iterations=iterations)
    except DeidInputError as exc:
        raise _fail(str(exc)) from exc
    except OSError as exc:
        raise _fail(f"{out}: cannot write the model ({exc.strerror})") from exc
    phi = ", ".join(f"{k} {v}" for k, v in report.phi_tokens.items())
    typer.echo(f"wrote {report.path} ({report.notes} notes, {report.tokens} tokens; PHI tokens: {phi})")


@deid_app.command("pdf")
def pdf_cmd(
    source: Annotated[Path, typer.Argument(help="the PDF to de-identify")],
    output: Annotated[Path, typer.Argument(help="where to write the NEW de-identified PDF")],
    policy: PolicyOpt = "publication",
    known: KnownOpt = None,
    case_key: CaseOpt = None,
) -> None:
    """Extract, de-identify and re-typeset a PDF; the original is never copied."""
    from spineconsult.deid.pdf import deidentify_pdf

    chosen = _policy(policy)
    try:
        report = deidentify_pdf(
            source, output, policy=chosen, known_identities=known or [], case_key=case_key
        )
    except (DeidInputError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items())) or "nothing found"
    typer.echo(f"wrote {report.output} ({report.pages} pages; replaced: {counts})")


@deid_app.command("dicom")
def dicom_cmd(
    source: Annotated[Path, typer.Argument(help="a DICOM file or a folder of them")],
    output: Annotated[Path, typer.Argument(help="output file (for a file) or folder (for a folder)")],
    case_key: Annotated[str, typer.Option("--case-key", help="case key: UIDs stay consistent within it")],
) -> None:
    """Apply the DICOM basic confidentiality profile; hold back images with burned-in text."""
    from spineconsult.deid.dicom import deidentify_dicom

    try:
        report = deidentify_dicom(source, output, case_key=case_key)
    except DeidInputError as exc:
        raise _fail(str(exc)) from exc
    for item in report.files:
        if item.status != "deidentified":
            typer.echo(f"{item.status}: {item.source_name}: {item.reason}", err=True)
    typer.echo(f"de-identified {report.written}, held back {report.held_back}, errors {report.errors}")
    if report.errors:
        raise typer.Exit(code=1)
