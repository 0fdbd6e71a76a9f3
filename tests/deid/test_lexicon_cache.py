"""The parsed word-list cache only saves time: it follows XDG_CACHE_HOME, and an unwritable cache folder
or a corrupt cache file never makes de-identification fail (the lists are parsed again)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from spineconsult.deid import deidentify_text, lexicon

BIG = 10_001  # a cache file with fewer words per list than this is treated as broken


@pytest.fixture
def fake_sources(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Replace the slow parsing of the packages' files; count how often it runs."""
    calls: list[int] = []

    def sets() -> dict[str, list[str]]:
        calls.append(1)
        return {k: [f"{k}{i}" for i in range(BIG)] for k in ("firstnames", "lastnames", "nonames")}

    monkeypatch.setattr(lexicon, "_philter_sets", sets)
    monkeypatch.setattr(lexicon, "_us_places", lambda: [f"place{i}" for i in range(BIG)])
    return calls


def _cache_files(base: Path) -> list[Path]:
    return sorted((base / "spineconsult").glob("deid-lists-*.json"))


def test_cache_goes_under_xdg_cache_home_and_is_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_sources: list[int]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = lexicon._source_lists()
    assert len(_cache_files(tmp_path)) == 1
    assert lexicon._source_lists() == first
    assert len(fake_sources) == 1  # the second call read the cache


def test_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert lexicon._cache_dir() == tmp_path / ".cache" / "spineconsult"


def test_unwritable_cache_dir_falls_back_to_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_sources: list[int]
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(lexicon._source_lists()["places"]) == BIG
    assert len(lexicon._source_lists()["places"]) == BIG
    assert len(fake_sources) == 2


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe not utf-8",
        b'{"firstnames": ["ann"',  # truncated JSON
        b"[1, 2, 3]",
        json.dumps({"firstnames": [], "lastnames": [], "nonames": [], "places": []}).encode(),
        json.dumps({k: list(range(BIG)) for k in ("firstnames", "lastnames", "nonames", "places")}).encode(),
    ],
    ids=["not-utf8", "truncated", "wrong-shape", "too-short", "not-strings"],
)
def test_corrupt_cache_file_is_parsed_again_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_sources: list[int], content: bytes
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon._source_lists()
    (path,) = _cache_files(tmp_path)
    path.write_bytes(content)
    assert len(lexicon._source_lists()["firstnames"]) == BIG
    assert len(fake_sources) == 2
    assert lexicon._read_cache(path) is not None  # rewritten whole


def test_cache_path_that_is_a_folder_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_sources: list[int]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon._source_lists()
    (path,) = _cache_files(tmp_path)
    path.unlink()
    path.mkdir()
    assert len(lexicon._source_lists()["nonames"]) == BIG


@pytest.fixture
def fresh_lexicon() -> Iterator[None]:
    lexicon.lexicon.cache_clear()
    yield
    lexicon.lexicon.cache_clear()  # the next test loads the real lists again


def test_deidentify_works_with_a_corrupt_cache_that_cannot_be_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_lexicon: None
) -> None:
    # the real lists, parsed from the packages' files: the cache file is garbage and writing fails
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = lexicon._cache_path()
    assert path is not None and path.parent == tmp_path / "spineconsult"
    path.parent.mkdir()
    path.write_bytes(b"\x00garbage")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(lexicon.os, "replace", refuse)
    result = deidentify_text("Seen by Dr. Healey on 3/4/2023.")
    assert result.text == "Seen by Dr. [NAME] on [DATE]."
    assert path.read_bytes() == b"\x00garbage"
    assert list(path.parent.glob("*.tmp")) == []  # no half-written file left behind
