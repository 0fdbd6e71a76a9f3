"""Our light ConText agrees with medspaCy's ConText on the same rules (run when medspaCy is installed:
`pip install -e '.[context-check]'`). It is not a dev dependency: medspaCy pins spaCy 3.7 and numpy 1.26."""

from __future__ import annotations

import re

import pytest

from spineconsult.engine import context as ctx
from spineconsult.knowledge import default_pack
from spineconsult.knowledge.schema import ContextRule

medspacy_context = pytest.importorskip("medspacy.context", reason="medspaCy not installed")
spacy = pytest.importorskip("spacy")

# (sentence, target words): token-simple sentences so both tokenizers agree on word boundaries.
SENTENCES = [
    ("I have no fever and no chills", "fever"),
    ("No fever but the wound is leaking pus", "pus"),
    ("No fever but the wound is leaking pus", "fever"),
    ("Before surgery I had numbness in my foot", "numbness"),
    ("I used to have sciatica", "sciatica"),
    ("If I get a fever should I call", "fever"),
    ("I think I might have a fever", "fever"),
    ("There is no numbness but I have tingling", "tingling"),
    ("The leg pain is gone", "pain"),
    ("My friend has numbness in his foot", "numbness"),
    ("I have no doubt the numbness is real", "numbness"),
    ("Family history of cancer", "cancer"),
    ("Never had a headache like this", "headache"),
    ("She denies fever or chills", "chills"),
]


def _literal_rules() -> list[ContextRule]:
    """The rules medspaCy can take as they are: a literal, or a pattern that is a plain phrase."""
    return [r for r in default_pack().context if r.pattern is None or re.fullmatch(r"[a-z' ]+", r.pattern)]


def _ours(sentence: str, word: str) -> set[str]:
    text = ctx.normalise(sentence)
    doc = ctx.make_doc(text)
    start = re.search(rf"\b{word}\b", text)
    assert start is not None
    mods = ctx.scoped_modifiers(doc, ctx.CompiledRules(tuple(_literal_rules())))
    return ctx.modifier_categories(doc, mods, [doc.token_span(start.start(), start.end())])[0]


def _medspacy(sentence: str, word: str) -> set[str]:
    from medspacy.context import ConTextRule

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    context = nlp.add_pipe("medspacy_context", config={"rules": None})
    context.add(
        [
            ConTextRule(r.pattern or r.literal, r.category, direction=r.direction, max_scope=r.max_scope)
            for r in _literal_rules()
        ]
    )
    doc = nlp.make_doc(sentence.lower())
    index = next(t.i for t in doc if t.text == word)
    doc.ents = [doc.char_span(doc[index].idx, doc[index].idx + len(word), label="FINDING")]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {mod.category for ent in doc.ents for mod in ent._.modifiers}


@pytest.mark.filterwarnings("ignore:.*W036.*:UserWarning")  # medspaCy's empty target matcher
@pytest.mark.parametrize(("sentence", "word"), SENTENCES)
def test_agrees_with_medspacy(sentence: str, word: str) -> None:
    assert _medspacy(sentence, word) == _ours(sentence, word)
