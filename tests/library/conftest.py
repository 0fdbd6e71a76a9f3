"""Library fixtures: a migrated database per test (SQLite and PostgreSQL) and a small fixed corpus."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from spineconsult.library import embed_pending, index_entry
from spineconsult.store.db import make_engine, make_session_factory
from spineconsult.store.schema import upgrade_database

PUBLISHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

CORPUS = [
    (
        "tingling-after-hemilaminectomy",
        "Tingling in my foot after a hemilaminectomy",
        "Five weeks after an L4-L5 hemilaminectomy my father has a strange tingling and burning in his "
        "left foot, and the foot is swollen. Is this nerve healing?",
        "hemilaminectomy",
        ["nerves"],
    ),
    (
        "herniated-disc-again",
        "Could my disc herniation have come back?",
        "Six months after a microdiscectomy the sharp pain down my right leg is back. Is it a recurrent disc "
        "herniation?",
        "discectomy",
        ["nerves", "recurrence"],
    ),
    (
        "urination-after-fusion",
        "Trouble urinating after lumbar fusion",
        "Since my lumbar fusion I struggle to urinate and the skin between my legs feels numb.",
        "fusion",
        ["emergency"],
    ),
    (
        "stimulator-battery",
        "How long does a spinal cord stimulator battery last?",
        "My spinal cord stimulator was implanted two years ago. When will the battery need replacing?",
        None,
        ["devices"],
    ),
    (
        "foot-slapping",
        "My foot slaps the floor when I walk",
        "After my back operation I cannot lift the front of my foot and it slaps the floor when I walk.",
        None,
        ["nerves"],
    ),
    (
        "acid-reflux",
        "Acid reflux at night",
        "I get heartburn when I lie down after dinner. What can I take?",
        None,
        ["stomach"],
    ),
    (
        "pregnancy-test",
        "Could I be pregnant?",
        "My period is late and the test was negative. Should I test again?",
        None,
        ["women"],
    ),
    (
        "wound-infection",
        "Red wound with discharge after fusion",
        "Ten days after a fusion my wound is red, hot and leaking yellow fluid and I have a fever of 38.5.",
        "fusion",
        ["emergency", "wound"],
    ),
]


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    upgrade_database(engine)
    with make_session_factory(engine)() as s:
        yield s
    engine.dispose()


def load_corpus(session: Session, *, embed: bool = True) -> None:
    for slug, title, question, procedure, topics in CORPUS:
        index_entry(
            session,
            slug=slug,
            title=title,
            question=question,
            answer=f"Answer: {title}.",
            published_at=PUBLISHED,
            procedure=procedure,
            topics=topics,
        )
    if embed:
        embed_pending(session)
    session.commit()


@pytest.fixture
def published() -> datetime:
    return PUBLISHED


@pytest.fixture(name="load_corpus")
def load_corpus_fixture() -> Callable[..., None]:
    return load_corpus


@pytest.fixture
def corpus(session: Session) -> Session:
    load_corpus(session)
    return session
