"""Consistent surrogates for the research policy.

Every choice is derived from an HMAC of the case key and the original value, so within one case the
same person gets the same fake name and every date moves by the same offset (intervals are kept),
while different cases get unrelated surrogates. Nothing here stores the original values.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from spineconsult.deid.dates import format_like, parse_date

if TYPE_CHECKING:
    from faker import Faker

_MIN_SHIFT_DAYS = 30
_SHIFT_RANGE_DAYS = 335


class Surrogates:
    """Surrogate generator bound to one case key."""

    def __init__(self, case_key: str) -> None:
        self._key = case_key.encode("utf-8")
        self.shift = timedelta(days=-(_MIN_SHIFT_DAYS + self._number("date-shift") % _SHIFT_RANGE_DAYS))

    def _number(self, value: str) -> int:
        digest = hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big")

    def name(self, original: str) -> str:
        # word by word, so "Jane Roe", "Jane" and "Roe" map consistently wherever they appear
        return re.sub(r"[^\W\d_][^\W\d_']*", lambda m: self._name_word(m.group()), original)

    def _name_word(self, word: str) -> str:
        if len(word) == 1:
            return chr(ord("A") + self._number("initial:" + word.lower()) % 26)
        # the pool depends on the word alone (a usual female or male first name, or not), never on its
        # position, so a name maps the same way everywhere; the surrogate keeps the name's usual sex
        w = word.lower()
        sex = "female" if w in _first_name_set("female") else "male" if w in _first_name_set("male") else None
        pool = _first_names(sex) if sex else _last_names()
        return _same_case(pool[self._number("name:" + word.lower()) % len(pool)], word)

    def date_text(self, original: str) -> str | None:
        parsed = parse_date(original)
        if parsed is None:
            return None
        return format_like(parsed.value + self.shift, parsed)

    def digits(self, original: str) -> str:
        n = self._number("digits:" + re.sub(r"\W", "", original).lower())
        out, i = [], 0
        for ch in original:
            if ch.isdigit():
                out.append(str((n >> (4 * i)) % 10))
                i += 1
            else:
                out.append(ch)
        return "".join(out)

    def email(self, original: str) -> str:
        return f"person{self._number('email:' + original.lower()) % 100000:05d}@example.org"

    def place(self, original: str, kind: str) -> str:
        fake = _faker()
        fake.seed_instance(self._number(f"{kind}:" + original.lower()))
        if kind == "ORGANIZATION":
            value = f"{fake.last_name()} Hospital"
        elif kind == "ADDRESS":
            value = fake.street_address()
        else:
            value = fake.city()
        return _same_case(value, original)


def _same_case(value: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return value.upper()
    if like.islower():
        return value.lower()
    return value


@lru_cache(maxsize=1)
def _faker() -> Faker:
    from faker import Faker  # imported on first use: the CLI starts faster for every other command

    return Faker("en_US")


@lru_cache(maxsize=2)
def _first_names(sex: str) -> tuple[str, ...]:
    provider = _faker().provider("faker.providers.person")
    names = provider.first_names_female if sex == "female" else provider.first_names_male
    return tuple(sorted(set(names)))


@lru_cache(maxsize=2)
def _first_name_set(sex: str) -> frozenset[str]:
    return frozenset(n.lower() for n in _first_names(sex))


@lru_cache(maxsize=1)
def _last_names() -> tuple[str, ...]:
    return tuple(sorted(set(_faker().provider("faker.providers.person").last_names)))
