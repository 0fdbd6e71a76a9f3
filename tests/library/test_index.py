"""Index upkeep: publish, update, delete, deferred embeddings, rebuild, other writers."""

from __future__ import annotations

from sqlalchemy import text

from spineconsult.library import delete_entry, embed_pending, index_entry, reindex, related, search
from spineconsult.library.models import LibraryEntry


def slugs(session, query):
    return [h.slug for h in search(session, query)]


def test_publishing_is_cheap_embeddings_come_later(session, load_corpus):
    load_corpus(session, embed=False)
    assert all(e.embedding is None for e in session.query(LibraryEntry))
    assert slugs(session, "pins and needles")[0] == "tingling-after-hemilaminectomy"  # found already
    assert embed_pending(session) == 8
    assert embed_pending(session) == 0
    session.commit()
    assert all(e.embedding is not None for e in session.query(LibraryEntry))


def test_update_replaces_the_old_words(corpus, published):
    index_entry(
        corpus,
        slug="acid-reflux",
        title="Coccyx pain when sitting",
        question="My tailbone hurts when I sit for long.",
        published_at=published,
    )
    corpus.commit()
    assert "acid-reflux" in slugs(corpus, "tailbone")
    assert "acid-reflux" not in slugs(corpus, "heartburn")
    assert corpus.query(LibraryEntry).count() == 8


def test_delete_removes_from_search_and_related(corpus):
    assert delete_entry(corpus, "herniated-disc-again") is True
    assert delete_entry(corpus, "herniated-disc-again") is False
    corpus.commit()
    assert "herniated-disc-again" not in slugs(corpus, "slipped disc")
    assert related(corpus, "herniated-disc-again") == []
    assert all(
        h.slug != "herniated-disc-again" for h in related(corpus, "tingling-after-hemilaminectomy", k=7)
    )


def test_a_change_made_by_another_process_is_seen(corpus):
    assert "stimulator-battery" in slugs(corpus, "battery")
    # another process deletes the entry behind our back and counts a change
    corpus.execute(text("DELETE FROM library_entries WHERE slug = 'stimulator-battery'"))
    corpus.execute(text("UPDATE library_state SET version = version + 1"))
    corpus.commit()
    assert "stimulator-battery" not in slugs(corpus, "stimulator battery")


def test_reindex_rebuilds_everything(corpus):
    corpus.execute(text("UPDATE library_entries SET concepts = '', embedding = NULL"))
    corpus.commit()
    assert reindex(corpus) == 8
    corpus.commit()
    entry = corpus.query(LibraryEntry).filter_by(slug="tingling-after-hemilaminectomy").one()
    assert "paresthesia" in entry.concepts.split() and entry.embedding is not None
    assert slugs(corpus, "pins and needles")[0] == "tingling-after-hemilaminectomy"


def test_the_coarse_scan_of_large_libraries_keeps_the_ranking(corpus, monkeypatch):
    from spineconsult.library import vectors

    exact = [h.slug for h in related(corpus, "tingling-after-hemilaminectomy", k=3)]
    monkeypatch.setattr(vectors, "COARSE_FROM", 4)
    vectors.forget(corpus)
    assert [h.slug for h in related(corpus, "tingling-after-hemilaminectomy", k=3)] == exact
    assert vectors.get_index(corpus).basis is not None
    assert slugs(corpus, "pins and needles")[0] == "tingling-after-hemilaminectomy"


def test_get_entry(corpus):
    from spineconsult.library import get_entry

    entry = get_entry(corpus, "acid-reflux")
    assert entry is not None and entry.title == "Acid reflux at night" and entry.kind == "qa"
    assert get_entry(corpus, "nope") is None


def test_searching_while_another_thread_publishes(database_url, corpus, published):
    import threading

    from spineconsult.store.db import make_engine, make_session_factory

    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    errors: list[BaseException] = []

    def publish() -> None:
        try:
            with factory() as writer:
                for n in range(150):
                    index_entry(
                        writer,
                        slug=f"new-{n}",
                        title=f"Question {n}",
                        question=f"Back pain question {n}",
                        published_at=published,
                    )
                    writer.commit()
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    thread = threading.Thread(target=publish)
    thread.start()
    with factory() as reader:
        while thread.is_alive():
            assert isinstance(search(reader, "back pain"), list)
            assert isinstance(related(reader, "acid-reflux", k=3), list)
    thread.join()
    engine.dispose()
    assert not errors


def test_vectors_of_another_model_are_recomputed(corpus):
    from spineconsult.library import vectors
    from spineconsult.library.embeddings import get_encoder

    current = get_encoder().fingerprint
    assert {e.embedding_model for e in corpus.query(LibraryEntry)} == {current}
    corpus.execute(text("UPDATE library_entries SET embedding_model = 'other' WHERE slug = 'acid-reflux'"))
    corpus.commit()
    vectors.forget(corpus)
    index = vectors.get_index(corpus)
    assert not index.has_vector[index.row_of_slug["acid-reflux"]]  # not used: made by another model
    assert search(corpus, "heartburn")[0].slug == "acid-reflux"  # full text and an in-memory vector meanwhile
    assert embed_pending(corpus) == 1
    corpus.commit()
    assert {e.embedding_model for e in corpus.query(LibraryEntry)} == {current}


def test_everything_pending_is_embedded_in_committed_batches(session, load_corpus):
    from spineconsult.library.index import embed_everything_pending

    load_corpus(session, embed=False)
    assert embed_everything_pending(session, batch=3) == 8
    assert embed_everything_pending(session, batch=3) == 0
    assert all(e.embedding is not None for e in session.query(LibraryEntry))
