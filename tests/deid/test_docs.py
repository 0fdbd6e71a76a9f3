"""docs/deidentification.md stays honest: every type tag and rule file it should name is there."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from spineconsult.deid.models import PhiType
from spineconsult.deid.recognizers.patterns import load_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "deidentification.md"
DATA = Path(__file__).resolve().parents[2] / "src" / "spineconsult" / "deid" / "data"


def test_every_type_tag_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [t for t in get_args(PhiType) if f"[{t}]" not in text]
    assert not missing


def test_every_rule_file_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert [p.name for p in sorted(DATA.iterdir()) if f"data/{p.name}" not in text] == []


def test_rule_file_loads_and_rule_names_are_unique() -> None:
    names = [rule.name for rule in load_rules()]
    assert len(names) == len(set(names))


def test_word_lists_hold_only_words() -> None:
    # YAML reads a bare on/no/yes as a boolean: the loaders refuse that instead of dropping the word
    from spineconsult.deid.lexicon import _yaml_words

    for name in ("name_cues.yaml", "place_cues.yaml"):
        lists = _yaml_words(name)
        assert all(isinstance(w, str) and w for words in lists.values() for w in words)
    assert "on" in _yaml_words("place_cues.yaml")["ward_preps"]
