"""`spineconsult library ...` and `spineconsult reindex`: thin wrappers over spineconsult.library."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from spineconsult.library.embeddings import ModelUnavailable
from spineconsult.library.importer import import_lines
from spineconsult.library.index import LibraryError, embed_pending, reindex
from spineconsult.library.related import related, related_slugs
from spineconsult.library.search import search
from spineconsult.settings import get_settings
from spineconsult.store.db import make_engine, make_session_factory
from spineconsult.store.schema import upgrade_database

library_app = typer.Typer(help="The public library: import, search, related questions.", no_args_is_help=True)


@contextmanager
def library_session() -> Iterator[Session]:
    """A session on the configured database, migrated to the newest schema."""
    engine = make_engine(get_settings().effective_database_url)
    upgrade_database(engine)
    session = make_session_factory(engine)()
    try:
        yield session
    except (ModelUnavailable, LibraryError) as err:
        session.rollback()
        fail(str(err))
    finally:
        session.close()
        engine.dispose()


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@library_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="JSON Lines: {id, question, answer?, title?}")],
) -> None:
    """Import published Q&A; bad lines are reported with their number, the rest is imported."""
    if not file.is_file():
        fail(f"{file}: no such file")
    with library_session() as session, file.open(encoding="utf-8", errors="replace") as lines:
        report = import_lines(session, lines)
        embedded = embed_pending(session)
        session.commit()
    for error in report.errors:
        typer.echo(f"{file}: {error}", err=True)
    typer.echo(f"imported {report.imported} entries ({embedded} embedded), {len(report.errors)} bad lines")
    if report.errors:
        raise typer.Exit(1)


@library_app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help="what to look for, in any words")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    procedure: Annotated[str | None, typer.Option("--procedure")] = None,
    topic: Annotated[str | None, typer.Option("--topic")] = None,
) -> None:
    """Search the library (full text + meaning, synonyms understood)."""
    with library_session() as session:
        hits = search(session, query, limit=limit, procedure=procedure, topic=topic)
    if as_json:
        items = [
            {
                "slug": h.slug,
                "title": h.title,
                "snippet": h.snippet,
                "published_at": h.published_at.isoformat(),
                "score": h.score,
            }
            for h in hits
        ]
        typer.echo(json.dumps({"query": query, "items": items}, ensure_ascii=False))
        return
    for hit in hits:
        typer.echo(f"{hit.score:.3f}  {hit.slug}  {hit.title}")


@library_app.command("related")
def related_cmd(
    entry_id: Annotated[str | None, typer.Argument(metavar="ID", help="the entry's id (slug)")] = None,
    every: Annotated[bool, typer.Option("--all", help="one JSON line per entry: {id, related}")] = False,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="how many")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The k most related entries, with what they share."""
    if every == (entry_id is not None):
        fail("give either an ID or --all")
    with library_session() as session:
        if every:
            for slug, slugs in related_slugs(session, k=k):
                sys.stdout.write(json.dumps({"id": slug, "related": slugs}, ensure_ascii=False) + "\n")
            return
        assert entry_id is not None
        _print_related(session, entry_id, k, as_json)


def _print_related(session: Session, entry_id: str, k: int, as_json: bool) -> None:
    hits = related(session, entry_id, k=k)
    if not hits and not _exists(session, entry_id):
        fail(f"ID: no library entry {entry_id!r}")
    if as_json:
        items = [
            {"id": h.slug, "title": h.title, "score": h.score, "shared": h.shared, "confirmed": h.confirmed}
            for h in hits
        ]
        typer.echo(json.dumps({"id": entry_id, "related": items}, ensure_ascii=False))
        return
    for hit in hits:
        typer.echo(f"{hit.score:.3f}  {hit.slug}  {hit.title}  [{', '.join(hit.shared)}]")


def _exists(session: Session, slug: str) -> bool:
    from spineconsult.library.vectors import get_index

    return slug in get_index(session).row_of_slug


def reindex_cmd() -> None:
    """Rebuild the library's search index: full text, concepts and every embedding."""
    with library_session() as session:
        count = reindex(session)
        session.commit()
    typer.echo(f"reindexed {count} library entries")


@library_app.command("learn")
def learn_cmd(
    pairs: Annotated[
        Path | None,
        typer.Argument(help="judged pairs: CSV or JSON Lines of question_1, question_2, label"),
    ] = None,
    judged: Annotated[
        bool,
        typer.Option(
            "--judged", help="also learn from the related / not related judgments kept in the library"
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="adapter file; default: the library_adapter setting")
    ] = None,
    epochs: Annotated[int, typer.Option("--epochs", min=1, max=20, help="passes over the pairs")] = 4,
) -> None:
    """Learn from judged question pairs (1 = same, 0 = not): writes an adapter for the embedding model.

    The pairs come from a file, from the judgments specialists and reviewers made on the library's
    pages (--judged), or both. Needs PyTorch (the `learn` extra). A fifth of the pairs is held out
    to choose the "same" threshold and report the accuracy; processes started afterwards embed with
    the adapter and recompute the stored vectors (or run `spineconsult reindex`).
    """
    from spineconsult.library.learn import LearnError, learn

    if pairs is None and not judged:
        fail("give a PAIRS file, --judged, or both")
    found = _file_pairs(pairs) + (_judged_pairs() if judged else [])
    target = out or _adapter_target()
    try:
        result = learn(found, epochs=epochs)
    except LearnError as err:
        fail(str(err))
    except ModuleNotFoundError as err:
        fail(f"learning needs PyTorch ({err.name} is missing): pip install 'spineconsult[learn]'")
    result.adapter.save(target)
    typer.echo(
        f"learned from {result.trained_on} pairs, kept at strength {result.strength:g}; held out "
        f"({result.held_out} pairs): accuracy {result.zero_shot_accuracy:.3f} zero-shot -> "
        f"{result.learned_accuracy:.3f}, recall@1 {result.zero_shot_recall:.3f} -> "
        f"{result.learned_recall:.3f}; adapter: {target}"
    )


def _file_pairs(pairs: Path | None) -> list[tuple[str, str, int]]:
    from spineconsult.library.learn import read_pairs

    if pairs is None:
        return []
    if not pairs.is_file():
        fail(f"{pairs}: no such file")
    report = read_pairs(pairs)
    for error in report.errors:
        typer.echo(f"{pairs}: {error}", err=True)
    return report.pairs


def _judged_pairs() -> list[tuple[str, str, int]]:
    from spineconsult.library.judgments import judged_pairs

    with library_session() as session:
        found = judged_pairs(session)
    typer.echo(f"{len(found)} judged pairs in the library")
    return found


def _adapter_target() -> Path:
    from spineconsult.settings import LIBRARY_ADAPTER_FILE

    settings = get_settings()
    return settings.library_adapter or settings.data_dir / LIBRARY_ADAPTER_FILE


@library_app.command("evidence")
def evidence_cmd() -> None:
    """Publish (or refresh) the evidence pages generated from the knowledge pack."""
    from spineconsult.library.evidence_pages import publish_evidence_pages

    with library_session() as session:
        published, removed = publish_evidence_pages(session)
        embedded = embed_pending(session)
        session.commit()
    typer.echo(f"published {published} evidence pages ({embedded} embedded), removed {removed}")
