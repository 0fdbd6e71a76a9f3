"""Person names from gazetteers (philter-lite's name lists) and the words around them.

A token is a *strong* name when it is in a name list and not an ordinary or clinical word
(healey, rizzo); a *weak* name when it is also an ordinary word (mary, moore, will). Strong names are
masked wherever they stand; weak names and unknown words need a cue: a title (Dr., Mrs), a relation
(son, wife), a verb that points at a person (per, paged, spoke with) or a word after (aware, notified),
or a neighbouring name (Mary Healey).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial

from spineconsult.deid.lexicon import Lexicon, lexicon
from spineconsult.deid.models import Span
from spineconsult.deid.scanning import JumpingPattern
from spineconsult.deid.tokens import Token

_SHORT_NAME = 3  # gazetteer entries this short (rl, ami, eff) are more often abbreviations
_SENTENCE_START = re.compile(r"(?:\A|[.!?]\s+|\n\s*)([^\W\d_])")
_CASED_SHARE = 0.8  # share of sentences starting with a capital for a text to count as normally cased
_ASCII_UPPER, _ASCII_LOWER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz"
_ABBREVIATED_TITLES = frozenset({"dr", "drs", "prof"})
_GAP_MAX = 3  # characters between two tokens that still count as neighbours ("Dr. J. Smith", "Smith, John")


def _kind(w: str, lex: Lexicon) -> str:
    """What the lower-cased word `w` is in `lex` (called through `_kinds_of`, which caches it by word)."""
    if len(w) < 2:
        return "letter"
    if not lex.is_common(w):
        if not lex.is_name_word(w):
            return "unknown"
        return "strong" if len(w) > _SHORT_NAME else "weak"
    return "weak" if w in lex.usual_names else "common"


_kinds: list[tuple[Lexicon, Callable[[str], str]]] = []  # the current lexicon and its word-kind cache


def _kinds_of(lex: Lexicon) -> Callable[[str], str]:
    """`_kind` for `lex`, cached by word; a new lexicon (tests load others) starts a new cache."""
    if not _kinds or _kinds[0][0] is not lex:
        _kinds[:] = [(lex, lru_cache(maxsize=1 << 16)(partial(_kind, lex=lex)))]
    return _kinds[0][1]


def _initial(text: str, tok: Token) -> bool:
    return len(tok.text) == 1 and tok.text.isupper() and text[tok.end : tok.end + 1] == "."


def _adjacent(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return len(gap) <= _GAP_MAX and "\n" not in gap and all(c in " .,'-" for c in gap)


def _title_target(text: str, tok: Token, kind: str) -> bool:
    return kind in ("strong", "weak", "unknown") or (kind == "letter" and _initial(text, tok))


def _plausible_unknown(tok: Token, lex: Lexicon) -> bool:
    # an unknown lower-case word is a name only if it is not a misspelling of an ordinary word
    return tok.is_title or tok.is_upper or (len(tok.lower) >= 4 and not lex.is_misspelt_common(tok.lower))


def _relation_target(tok: Token, kind: str, lex: Lexicon) -> bool:
    if kind == "strong":
        return True
    if kind == "weak":
        return tok.lower not in lex.ambiguous_names or tok.is_title
    return kind == "unknown" and _plausible_unknown(tok, lex)


# after an ambiguous first name, words that show it names the relative who is doing something
# ("son rob in to visit", "daughter pat called"); "is", "to", "will" are left out ("daughters hope to")
_RELATIVE_ACTS = frozenset(
    {
        "in",
        "at",
        "here",
        "present",
        "came",
        "arrived",
        "left",
        "visiting",
        "visited",
        "lives",
        "lived",
        "works",
    }
)
# a phone number right after the name: "SON ROB 410-555-0100" lists a contact
_PHONE_AFTER = re.compile(r"\s*[:,\-]?\s*\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}\b")


def _ambiguous_relative(text: str, tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """An ambiguous first name after a relation, set off by a comma or followed by what the relative does:
    "wife, rose, left a number", "SON ROB IN TO VISIT", "daughter pat called" ("wife rose" alone stays)."""
    tok = tokens[i]
    if tok.lower not in lex.ambiguous_names or tok.lower not in lex.first_names:
        return False
    if not _cue_before(text, tokens, i, lex.cues["relations"]):
        return False
    if text[tokens[i - 1].end : tok.start].strip() == "," or _PHONE_AFTER.match(text, tok.end):
        return True
    return _cue_after(text, tokens, i, lex.cues["after"] | _RELATIVE_ACTS)


def _relative(text: str, tokens: list[Token], i: int, kind: str, lex: Lexicon) -> bool:
    if _cue_before(text, tokens, i, lex.cues["relations"]) and _relation_target(tokens[i], kind, lex):
        return True
    return kind == "weak" and _ambiguous_relative(text, tokens, i, lex)


def _cue_before(text: str, tokens: list[Token], i: int, words: frozenset[str]) -> bool:
    return i > 0 and tokens[i - 1].lower in words and _adjacent(text, tokens[i - 1], tokens[i])


def _cue_after(text: str, tokens: list[Token], i: int, words: frozenset[str]) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].lower in words and _adjacent(text, tokens[i], tokens[i + 1])


def _person_cue(text: str, tokens: list[Token], i: int, cues: dict[str, frozenset[str]]) -> bool:
    if _cue_before(text, tokens, i, cues["before"]) or _cue_after(text, tokens, i, cues["after"]):
        return True
    return tokens[i].is_title and (
        _cue_before(text, tokens, i, cues["before_capitalized"])
        or _cue_after(text, tokens, i, cues["after_capitalized"])
    )


def _honorific_initial(text: str, tokens: list[Token], i: int, cues: dict[str, frozenset[str]]) -> bool:
    # "mr I remained on the same doses": a capital letter between an honorific and a lower-case word
    # ("MS I think": in capitals MS is also mental status, and I the pronoun)
    tok = tokens[i]
    if len(tok.text) != 1 or not tok.text.isupper() or not _cue_before(text, tokens, i, cues["honorifics"]):
        return False
    pronoun = tok.text == "I" and tokens[i - 1].is_upper
    return not pronoun and re.match(r" [a-z]", text[tok.end : tok.end + 2]) is not None


def _after_title(text: str, tokens: list[Token], i: int, kind: str, cues: dict[str, frozenset[str]]) -> bool:
    # "Dr." makes any content word a name (Dr. Pica); other titles need a name-like word (Mrs Healey)
    if _cue_before(text, tokens, i, cues["person_titles"]):
        return True
    if _cue_before(text, tokens, i, cues["titles"]) and _title_target(text, tokens[i], kind):
        return True
    return len(tokens[i].text) == 1 and _honorific_initial(text, tokens, i, cues)


def _capitalised_pair(text: str, tokens: list[Token], kinds: list[str], i: int) -> bool:
    """An unknown capitalised word next to another capitalised unknown or name word (Djevad Šušulić)."""
    if not tokens[i].is_title:
        return False
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens) and tokens[j].is_title and kinds[j] in ("unknown", "strong", "weak"):
            a, b = (tokens[j], tokens[i]) if j < i else (tokens[i], tokens[j])
            if _adjacent(text, a, b) and text[a.end : b.start] == " ":
                return True
    return False


def _after_initial(text: str, tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """A capitalised unknown or name word right after a capital initial: "Reported to D. Phyl",
    "PER B. KARGAS", "E. Nessenson NP aware", "Z. MILLER IN TO STRIP TUBES"."""
    tok = tokens[i]
    capitalised = tok.is_title or tok.is_upper
    if i == 0 or not capitalised or not _plausible_unknown(tok, lex) or tok.lower in lex.ambiguous_names:
        return False
    prev = tokens[i - 1]
    if not _initial(text, prev) or text[prev.end : tok.start] != ". ":
        return False
    # the initial itself follows a word that points at a person (reported to, per, by), or the word is
    # followed by one (aware, NP, in): "on the R. Spo2", "100% on 2L. Contd." are sentence ends
    cues = lex.cues
    return _cue_before(text, tokens, i - 1, cues["before"] | cues["before_capitalized"]) or _cue_after(
        text, tokens, i, cues["after"] | cues["after_capitalized"] | cues["credentials"]
    )


def _seed(text: str, tokens: list[Token], kinds: list[str], lex: Lexicon) -> dict[int, str]:
    """Tokens that are names on their own or through a cue, with the rule that says so."""
    cues = lex.cues
    titles = cues["person_titles"]
    hits: dict[int, str] = {}
    for i, tok in enumerate(tokens):
        kind = kinds[i]
        if kind == "common" and len(tok.text) != 1 and (i == 0 or tokens[i - 1].lower not in titles):
            continue  # an ordinary word is a name only after "Dr." (the tests below all need more)
        if tok.lower in cues["not_after_title"] and kind != "strong":
            if len(tok.text) == 1 and _honorific_initial(text, tokens, i, cues):
                hits[i] = "name:title"
            continue
        if _after_title(text, tokens, i, kind, cues):
            hits[i] = "name:title"
        elif _relative(text, tokens, i, kind, lex):
            hits[i] = "name:relation"
        elif kind == "strong":
            hits[i] = "name:gazetteer"
        elif kind == "weak" and tok.lower not in lex.ambiguous_names and _person_cue(text, tokens, i, cues):
            hits[i] = "name:cue"
        elif kind == "unknown" and _capitalised_pair(text, tokens, kinds, i):
            hits[i] = "name:pair"
        elif kind in ("unknown", "weak") and _after_initial(text, tokens, i, lex):
            hits[i] = "name:initial"
    return hits


def _any_initial(text: str, tok: Token) -> bool:
    # next to a name already found, a lower-case "d." is an initial too ("d. renna and j. o'brien")
    return len(tok.text) == 1 and tok.text.isalpha() and text[tok.end : tok.end + 1] == "."


def _extends(text: str, tok: Token, kind: str, lex: Lexicon, before: bool) -> bool:
    if kind in ("strong", "weak"):
        # an ambiguous first name right before a surname is a first name ("pat rixford", "son don reid")
        return (
            tok.lower not in lex.ambiguous_names or tok.is_title or (before and tok.lower in lex.first_names)
        )
    if kind == "unknown":
        return len(tok.lower) >= 4 and _plausible_unknown(tok, lex)
    return kind == "letter" and _any_initial(text, tok)


def _bare_initial(text: str, tokens: list[Token], j: int, i: int, lex: Lexicon) -> bool:
    """A letter without a dot right before a name found, when a word around points at a person:
    "J SMITH ORDERED", "per d ross" (not "L foot warm", "t berg", "16F Cude")."""
    tok = tokens[j]
    if len(tok.text) != 1 or j + 1 != i or text[tok.end : tokens[i].start] != " ":
        return False
    if tok.start > 0 and not text[tok.start - 1].isspace():
        return False
    cues = lex.cues
    return _cue_before(text, tokens, j, cues["before"]) or _cue_after(
        text, tokens, i, cues["after"] | cues["credentials"]
    )


def _grow(text: str, tokens: list[Token], kinds: list[str], hits: dict[int, str], lex: Lexicon) -> None:
    """Extend names to neighbouring name-like tokens (first + last name, initials)."""
    frontier = list(hits)
    while frontier:
        i = frontier.pop()
        for j in (i - 1, i + 1):
            if (
                0 <= j < len(tokens)
                and j not in hits
                and (
                    _extends(text, tokens[j], kinds[j], lex, j < i) or _bare_initial(text, tokens, j, i, lex)
                )
            ):
                a, b = (tokens[j], tokens[i]) if j < i else (tokens[i], tokens[j])
                if _adjacent(text, a, b):
                    hits[j] = hits[i]
                    frontier.append(j)


# How people introduce or sign themselves in messages: "My name is Jane", "I'm Bob", "Thanks, Ann Lee".
_SELF = JumpingPattern.compile(
    r"\b(?:my name is|my name's|i am|i'm|this is|signed|regards|kind regards|best regards|best wishes|thanks|"
    r"thank you|many thanks|sincerely|yours truly|cheers)[,:]?\s+"
    r"((?:[A-Z][a-z'\-]+|[A-Z]\.)(?:[ \t]+(?:[A-Z][a-z'\-]+|[A-Z]\.)){0,2})",
    "[mitsrkbyc]",  # the first letters of the phrases above
    re.IGNORECASE,
)


def _self_named(text: str, lex: Lexicon) -> list[Span]:
    spans = []
    for m in _SELF.finditer(text):
        for word in re.finditer(r"[^\s.]+", m.group(1)):
            w = word.group().lower()
            if not word.group()[0].isupper() or (word.group().isupper() and len(w) > 1):
                break  # lower case, or shouted text where every word is capitalised
            if lex.is_common(w) and w not in lex.usual_names and not lex.is_name_word(w):
                break  # "I am Worried", "Thanks In advance"
            start = m.start(1) + word.start()
            spans.append(Span(start=start, end=start + len(word.group()), type="NAME", rule="name:self"))
    return spans


def written_with_capitals(text: str) -> bool:
    """Text that capitalises its sentences (patients' messages, letters), unlike many clinical notes.

    There a person's name starts with a capital, so a lower-case word that is also a surname ("pins",
    "just", "rose") is an ordinary word; known identities are matched elsewhere, in any case.
    """
    starts = _SENTENCE_START.findall(text)
    capitals = sum(c.isupper() for c in starts)
    if not starts or capitals < _CASED_SHARE * len(starts):
        return False
    # a text written mostly in capitals says nothing by them ("HOUSE STAFF mary souza AWARE")
    letters = text.encode("ascii", "ignore")
    return len(letters.translate(None, _ASCII_UPPER)) > len(letters.translate(None, _ASCII_LOWER))


def _written_as_name(text: str, tokens: list[Token], i: int, hits: dict[int, str], lex: Lexicon) -> bool:
    # in a normally cased text: capitalised, right after an abbreviated title ("Dr patel"), or a signature
    # before a credential ("anne lee rn"); the full word "doctor" is an ordinary noun there ("his doctor")
    if not tokens[i].text[:1].islower() or _cue_before(text, tokens, i, _ABBREVIATED_TITLES):
        return True
    last = i
    while last + 1 in hits and _adjacent(text, tokens[last], tokens[last + 1]):
        last += 1
    return _cue_after(text, tokens, last, lex.cues["credentials"])


def find_names(text: str, tokens: list[Token]) -> list[Span]:
    lex = lexicon()
    kind = _kinds_of(lex)
    kinds = [kind(t.lower) for t in tokens]
    hits = _seed(text, tokens, kinds, lex)
    _grow(text, tokens, kinds, hits, lex)
    if written_with_capitals(text):
        hits = {i: rule for i, rule in hits.items() if _written_as_name(text, tokens, i, hits, lex)}
    return _self_named(text, lex) + [
        Span(start=tokens[i].start, end=_name_end(text, tokens[i]), type="NAME", rule=rule)
        for i, rule in hits.items()
    ]


def _name_end(text: str, tok: Token) -> int:
    # an initial takes its dot with it ("Ms S. came")
    return tok.end + 1 if len(tok.text) == 1 and text[tok.end : tok.end + 1] == "." else tok.end
