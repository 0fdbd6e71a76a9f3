"""Medical concepts and the lay and clinical words for them (`synonyms.yaml`), validated at load.

A concept is found in a text when one of its terms occurs as a whole phrase of stemmed words. Search
expands a query with the other terms of the concepts it mentions ("pins and needles" also searches
"paresthesia" and "tingling"); related questions are explained by the concepts they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spineconsult.library.text import stem, words

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")
MAX_PHRASE_WORDS = 6
# Concepts too broad to expand a query with or to explain a relation on their own
BROAD_CONCEPTS = frozenset({"surgery", "spine", "bleeding"})


class ConceptSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(min_length=1)
    terms: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    concepts: dict[str, Concept]
    phrases: dict[tuple[str, ...], frozenset[str]]  # stemmed phrase -> concept ids
    longest: int

    def find(self, text: str) -> list[str]:
        """Concept ids mentioned in the text, in order of first mention."""
        return [cid for cid, _, _ in self.mentions(text)]

    def mentions(self, text: str) -> list[tuple[str, int, int]]:
        """(concept id, first word index, word count) for each concept, first mention only."""
        stems = [stem(w) for w in words(text)]
        found: dict[str, tuple[str, int, int]] = {}
        for start in range(len(stems)):
            for size in range(min(self.longest, len(stems) - start), 0, -1):
                for cid in self.phrases.get(tuple(stems[start : start + size]), ()):
                    found.setdefault(cid, (cid, start, size))
        return sorted(found.values(), key=lambda m: m[1])

    def expansions(self, concept_ids: list[str]) -> list[str]:
        """Every term of those concepts (broad ones left out): what a query should also match."""
        return [term for cid in concept_ids if cid not in BROAD_CONCEPTS for term in self.concepts[cid].terms]


def phrase_key(term: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(term))


def build_lexicon(raw: object, source: str = "synonyms") -> Lexicon:
    if not isinstance(raw, dict):
        raise ValueError(f"{source}: expected a mapping of concept id -> {{label, terms}}")
    concepts: dict[str, Concept] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    for cid, body in raw.items():
        try:
            spec = ConceptSpec.model_validate(body)
        except ValidationError as err:
            raise ValueError(f"{source}: concept {cid!r}: {err.errors()[0]['msg']}") from None
        concepts[str(cid)] = Concept(str(cid), spec.label, tuple(spec.terms))
        for term in spec.terms:
            key = phrase_key(term)
            if not key or len(key) > MAX_PHRASE_WORDS:
                raise ValueError(
                    f"{source}: concept {cid!r}: term {term!r} must have 1-{MAX_PHRASE_WORDS} words"
                )
            phrases.setdefault(key, set()).add(str(cid))
    frozen = {k: frozenset(v) for k, v in phrases.items()}
    return Lexicon(concepts, frozen, max(len(k) for k in frozen))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon, read and validated once."""
    return build_lexicon(yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8")), SYNONYMS_FILE.name)
