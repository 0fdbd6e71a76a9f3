"""docs/cli.md stays true to the CLI: every command and every option is documented."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import typer.main

from spineconsult.cli import app

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from cli_reference import commands  # noqa: E402

DOC = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
ALL = list(commands(typer.main.get_command(app), ["spineconsult"]))


@pytest.mark.parametrize("path,command", ALL, ids=[" ".join(p) for p, _ in ALL])
def test_every_command_and_option_is_in_the_reference(path, command):
    assert f"## `{' '.join(path)}`" in DOC, "regenerate: python scripts/cli_reference.py"
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert opt in DOC, f"{' '.join(path)} {opt} is not in docs/cli.md"


def test_readme_quick_start_has_exactly_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    assert [line for line in quick.splitlines()[1:] if line.strip()] == ["make run", "make test"]


def test_every_setting_is_documented_in_the_readme():
    from spineconsult.settings import Settings

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [f"SPINECONSULT_{name.upper()}" for name in Settings.model_fields]
    assert [var for var in missing if f"`{var}`" not in readme] == []
