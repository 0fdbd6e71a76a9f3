"""Write docs/cli.md from the CLI's own --help and README's settings table from the Settings object.

Run after changing a command or a setting (`make docs`); tests/test_cli_docs.py checks both.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from spineconsult.cli import app

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "cli.md"
README = REPO / "README.md"
START, END = "<!-- settings:start -->", "<!-- settings:end -->"
HEADER = """# Command-line reference

Generated from `spineconsult ... --help` by `scripts/cli_reference.py`; `tests/test_cli_docs.py`
fails when a command or option is missing here. Regenerate with
`.venv/bin/python scripts/cli_reference.py`.
"""


def commands(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from commands(sub, [*path, name])


def help_text(path: list[str]) -> str:
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, [*path[1:], "--help"], env=env, prog_name="spineconsult")
    return "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())


def render() -> str:
    root = typer.main.get_command(app)
    parts = [HEADER]
    for path, _command in commands(root, ["spineconsult"]):
        parts.append(f"\n## `{' '.join(path)}`\n\n```text\n{help_text(path)}\n```\n")
    return "".join(parts)


def settings_table() -> str:
    from spineconsult.settings import Settings

    rows = ["| variable | default | what |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "" if field.default is None else str(field.default)
        if field.default_factory is not None:
            default = str(field.default_factory())  # type: ignore[call-arg]
        what = (field.description or "").replace("|", r"\|")
        rows.append(f"| `SPINECONSULT_{name.upper()}` | `{default}` | {what} |")
    return "\n".join(rows)


def update_readme() -> None:
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    README.write_text(f"{before}{START}\n{settings_table()}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    update_readme()
    sys.stdout.write(f"wrote {DOC} and the settings table of {README}\n")
