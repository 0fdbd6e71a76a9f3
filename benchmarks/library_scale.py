"""Library at scale: build a library of generated Q&A, time the index, search and related questions.

    python benchmarks/library_scale.py --data ../shared/data/curai_mqp/mqp.csv \
        --vignettes ../shared/vignettes/public.yaml --size 100000 [--database-url postgresql+psycopg://...]

Entries are recombined from the sentences of the Curai questions and the public vignettes (2-3
sentences a question, 3-6 an answer), each with a random procedure and topics. Every entry goes
through `index_entry` (the publishing path). Embeddings: `--embeddings model` computes them all with
the packaged model (about 100 texts/s on 2 busy cores, so 100,000 take ~20 min); `--embeddings
random` stores random unit vectors instead (latency does not depend on the values) and times the
model on a sample of `--embed-sample` texts to extrapolate. Prints build time, peak memory, and
search / related latency p50 / p95 over distinct queries (each query is embedded: no cache help),
with the CPU time per call, and the query embedding's time alone.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml
from sqlalchemy import text
from sqlalchemy.orm import Session

from spineconsult.library import embed_pending, index_entry, related, search
from spineconsult.library.embeddings import embed, get_encoder, model_in_use
from spineconsult.library.vectors import forget, get_index
from spineconsult.store.db import make_engine, make_session_factory
from spineconsult.store.schema import upgrade_database

PROCEDURES = ["laminectomy", "hemilaminectomy", "discectomy", "fusion", "cervical_decompression", "scs", None]
TOPICS = ["nerves", "pain", "wound", "recovery", "devices", "medication", "imaging", "emergency"]
SENTENCE = re.compile(r"(?<=[.?!])\s+")


def sentences(data: Path, vignettes: Path) -> list[str]:
    with data.open(newline="", encoding="utf-8") as handle:
        texts = {t for row in csv.reader(handle) for t in row[1:3]}
    texts |= {v["input"]["message"] for v in yaml.safe_load(vignettes.read_text(encoding="utf-8"))}
    return sorted({s.strip() for t in texts for s in SENTENCE.split(t) if len(s.strip()) > 15})


def generate(pool: list[str], size: int, seed: int = 7) -> list[tuple[str, str, str, str | None, list[str]]]:
    rng = random.Random(seed)
    items = []
    for _ in range(size):
        question = " ".join(rng.sample(pool, rng.randint(2, 3)))
        answer = " ".join(rng.sample(pool, rng.randint(3, 6)))
        title = question.split("?")[0][:90]
        items.append((title, question, answer, rng.choice(PROCEDURES), rng.sample(TOPICS, rng.randint(0, 2))))
    return items


def build(session: Session, items: list[tuple[str, str, str, str | None, list[str]]]) -> float:
    started, now = time.perf_counter(), datetime.now(UTC)
    for number, (title, question, answer, procedure, topics) in enumerate(items):
        index_entry(
            session,
            slug=f"qa-{number}",
            title=title,
            question=question,
            answer=answer,
            published_at=now,
            procedure=procedure,
            topics=topics,
        )
        if number % 2000 == 1999:
            session.commit()
    session.commit()
    return time.perf_counter() - started


def random_vectors(session: Session, size: int) -> None:
    rng = np.random.default_rng(7)
    ids = [r[0] for r in session.execute(text("SELECT id FROM library_entries ORDER BY id"))]
    model = model_in_use()  # stored as if this model made them, or they would count as pending
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        matrix = rng.standard_normal((len(chunk), 384)).astype(np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        session.execute(
            text("UPDATE library_entries SET embedding = :e, embedding_model = :m WHERE id = :i"),
            [{"e": v.tobytes(), "m": model, "i": i} for v, i in zip(matrix, chunk, strict=True)],
        )
    session.execute(text("UPDATE library_state SET version = version + 1"))
    session.commit()


def percentiles(samples: tuple[list[float], list[float]]) -> str:
    """Wall-clock p50 / p95, then the process's CPU time per call (all threads): on shared cores the
    wall clock also counts waiting for other jobs, the CPU time is what a call costs."""
    wall, cpu = (np.array(s) * 1000 for s in samples)
    return (
        f"p50 {np.percentile(wall, 50):.1f} ms  p95 {np.percentile(wall, 95):.1f} ms  (n={len(wall)}; "
        f"CPU p50 {np.percentile(cpu, 50):.1f} ms  p95 {np.percentile(cpu, 95):.1f} ms)"
    )


def timed(calls: list[object], fn: object) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for arg in calls:
        started, cpu_started = time.perf_counter(), time.process_time()
        fn(arg)  # type: ignore[operator]
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return wall, cpu


def measure(session: Session, pool: list[str], size: int, rounds: int) -> None:
    rng = random.Random(11)
    forget(session)
    started = time.perf_counter()
    get_index(session)
    print(f"in-memory index load: {time.perf_counter() - started:.1f} s")
    queries = [" ".join(rng.choice(pool).split()[: rng.randint(2, 8)]) for _ in range(rounds * 3 // 2)]
    search(session, "warm up the model")
    # the search queries' own embeddings, alone (the encoder, not the query cache: each is computed)
    encoder = get_encoder()
    embedding = timed(queries[:rounds], lambda q: encoder.encode([q]))
    print("query embedding alone:  " + percentiles(embedding))
    print("search:  " + percentiles(timed(queries[:rounds], lambda q: search(session, q))))
    # other queries than above: a repeated query's embedding would come from the cache
    filtered = timed(queries[rounds:], lambda q: search(session, q, procedure="fusion", topic="pain"))
    print("search with procedure+topic filters:  " + percentiles(filtered))
    slugs = [f"qa-{rng.randrange(size)}" for _ in range(rounds)]
    print("related (k=5):  " + percentiles(timed(slugs, lambda s: related(session, s, k=5))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--vignettes", type=Path, required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    parser.add_argument("--embeddings", choices=["model", "random"], default="random")
    parser.add_argument("--embed-sample", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    pool = sentences(args.data, args.vignettes)
    items = generate(pool, args.size)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/scale.sqlite3"
        engine = make_engine(url)
        upgrade_database(engine)
        with make_session_factory(engine)() as session:
            print(f"{engine.dialect.name}: {args.size} entries from {len(pool)} sentences")
            print(f"index build (index_entry, full text, no embeddings): {build(session, items):.1f} s")
            embed_step(session, items, args)
            measure(session, pool, args.size, args.rounds)
        engine.dispose()
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def embed_step(
    session: Session, items: list[tuple[str, str, str, str | None, list[str]]], args: argparse.Namespace
) -> None:
    started = time.perf_counter()
    if args.embeddings == "model":
        embed_pending(session)
        session.commit()
        print(f"embeddings (model, all {args.size}): {time.perf_counter() - started:.1f} s")
        return
    random_vectors(session, args.size)
    print(f"embeddings stored (random unit vectors): {time.perf_counter() - started:.1f} s")
    sample = [f"{t}. {q}" for t, q, *_ in items[: args.embed_sample]]
    started = time.perf_counter()
    embed(sample)
    rate = len(sample) / (time.perf_counter() - started)
    print(
        f"model throughput on {len(sample)} generated questions: {rate:.0f} texts/s "
        f"-> {args.size / rate / 60:.0f} min for {args.size}"
    )


if __name__ == "__main__":
    main()
