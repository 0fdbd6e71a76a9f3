"""Load and crash benchmark of the running service, over loopback.

Starts `spineconsult serve` as a subprocess on a free loopback port, then:
  1. 20 concurrent clients (httpx, async) submit cases: submissions/s and p50/p95/p99 latency;
  2. the same clients read published library items: page views/s;
  3. every acknowledged (201) case is looked up in the database: the count must match;
  4. the server is killed with SIGKILL in the middle of a submission load, restarted, and every case
     acknowledged before the kill must still be there.

    python benchmarks/service_load.py [--database-url URL] [--clients 20] [--submissions 1000]

Targets on the 2-core machine with SQLite: >= 50 submissions/s at p95 < 300 ms, >= 300 page views/s,
zero lost. Only loopback is used; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text

from spineconsult.store.models import Case

REPO = Path(__file__).resolve().parents[1]
SPINECONSULT = Path(sys.executable).with_name("spineconsult")
MESSAGES = (
    "I had an L4-L5 hemilaminectomy six weeks ago. I still have numbness, pins and needles and swelling in "
    "my left foot, worse in the evening. Is this normal and how long will it last?",
    "Ten days after my discectomy. Mild soreness at the incision, walking every day, leg pain gone.",
    "I had a fusion at L5-S1 three years ago and now I have a new ache above it with pain when walking.",
    "Had a microdiscectomy L4-5 five months ago, then sneezed hard and the sciatica came straight back.",
)
ANSWER = {
    "probable_causes": "Irritation of the nerve root during surgery.",
    "investigations": "None unless symptoms worsen.",
    "differential_diagnosis": "Recurrent disc herniation.",
    "treatment_plan": "Neuropathic pain medication and physical therapy.",
    "body": "This usually improves over months.",
}
PASSWORD = "benchmark password"
REQUEST_TIMEOUT = 30.0


@dataclass
class Server:
    env: dict[str, str]
    port: int
    workers: int
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(
        default_factory=lambda: Path(tempfile.mkstemp(prefix="service-load-", suffix=".log")[1])
    )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [str(SPINECONSULT), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited; see {self.log}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the server did not become healthy in {timeout:.0f} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the whole process group (uvicorn's supervisor and its workers)."""
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINECONSULT_")}
    env["SPINECONSULT_DATA_DIR"] = str(data_dir)
    if database_url:
        env["SPINECONSULT_DATABASE_URL"] = database_url
    return env


def add_user(env: dict[str, str], role: str, email: str, specialty: str | None = None) -> None:
    command = [str(SPINECONSULT), "users", "add", "--role", role, "--email", email, "--password", PASSWORD]
    command += ["--name", email.split("@")[0].title()]
    if specialty:
        command += ["--specialty", specialty]
    subprocess.run(command, env=env, check=True, capture_output=True)


async def token(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def register_patients(client: httpx.AsyncClient, count: int, tag: str) -> list[dict[str, str]]:
    headers = []
    for number in range(count):
        email = f"patient{number}-{tag}@bench.example.org"
        body = {"email": email, "password": PASSWORD, "name": f"Patient {number}"}
        response = await client.post("/api/v1/auth/register", json=body)
        response.raise_for_status()
        headers.append(await token(client, email))
    return headers


@dataclass
class Load:
    acknowledged: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def client_for(url: str) -> httpx.AsyncClient:
    """One client = one connection, like separate users (one pooled client for all would measure
    httpx's connection pool, not the server)."""
    return httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT, limits=httpx.Limits(max_connections=1))


async def submitter(url: str, headers: dict[str, str], count: int, load: Load) -> None:
    async with client_for(url) as client:
        await _submit_all(client, headers, count, load)


async def _submit_all(client: httpx.AsyncClient, headers: dict[str, str], count: int, load: Load) -> None:
    for number in range(count):
        body = {"message": MESSAGES[number % len(MESSAGES)], "consent": True, "age": 40 + number % 30}
        started = time.perf_counter()
        try:
            response = await client.post("/api/v1/cases", json=body, headers=headers)
        except httpx.HTTPError:
            load.errors += 1
            if load.errors > 10_000:
                return
            await asyncio.sleep(0.05)
            continue
        if response.status_code == 201:
            load.latencies.append(time.perf_counter() - started)
            load.acknowledged.append(response.json()["id"])
        else:
            load.errors += 1


async def submissions(url: str, patients: list[dict[str, str]], per_client: int) -> tuple[Load, float]:
    load = Load()
    started = time.perf_counter()
    await asyncio.gather(*(submitter(url, h, per_client, load) for h in patients))
    return load, time.perf_counter() - started


async def publish(url: str, patient: dict[str, str], count: int) -> list[str]:
    """Cases answered and approved through the API, so the library has items to read."""
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        surgeon = await token(client, "surgeon@bench.example.org")
        reviewer = await token(client, "reviewer@bench.example.org")
        slugs = []
        for number in range(count):
            body = {
                "message": MESSAGES[number % len(MESSAGES)],
                "consent": True,
                "specialty": "spine_surgery",
            }
            case_id = (await client.post("/api/v1/cases", json=body, headers=patient)).json()["id"]
            (await client.post(f"/api/v1/cases/{case_id}/claim", headers=surgeon)).raise_for_status()
            (
                await client.post(f"/api/v1/cases/{case_id}/answer", json=ANSWER, headers=surgeon)
            ).raise_for_status()
            approve = {"decision": "approve", "comment": "ok"}
            (
                await client.post(f"/api/v1/cases/{case_id}/review", json=approve, headers=reviewer)
            ).raise_for_status()
            detail = (await client.get(f"/api/v1/cases/{case_id}", headers=patient)).json()
            slugs.append(detail["publication_slug"])
        return slugs


async def page_views(url: str, paths: list[str], clients: int, per_client: int) -> tuple[int, int, float]:
    ok = failed = 0

    async def reader(offset: int) -> None:
        nonlocal ok, failed
        async with client_for(url) as client:
            for number in range(per_client):
                response = await client.get(paths[(offset + number) % len(paths)])
                if response.status_code == 200:
                    ok += 1
                else:
                    failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(reader(offset) for offset in range(clients)))
    return ok, failed, time.perf_counter() - started


def stored_ids(database_url: str, ids: list[str]) -> set[str]:
    engine = create_engine(database_url)
    found: set[str] = set()
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found.update(conn.execute(select(Case.id).where(Case.id.in_(chunk))).scalars())
    engine.dispose()
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def report_submissions(title: str, load: Load, elapsed: float) -> None:
    ms = [v * 1000 for v in load.latencies]
    rate = len(load.acknowledged) / elapsed if elapsed else 0.0
    print(
        f"{title}: {len(load.acknowledged)} acknowledged in {elapsed:.1f} s = {rate:.1f} submissions/s; "
        f"latency p50 {percentile(ms, 0.5):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, "
        f"p99 {percentile(ms, 0.99):.0f} ms (mean {statistics.fmean(ms) if ms else 0:.0f}); "
        f"errors {load.errors}"
    )


def check_stored(database_url: str, acknowledged: list[str], when: str) -> int:
    found = stored_ids(database_url, acknowledged)
    lost = len(set(acknowledged) - found)
    print(
        f"stored ({when}): {len(found)} of {len(set(acknowledged))} acknowledged cases are in the database; "
        f"lost {lost}"
    )
    return lost


async def crash_run(
    server: Server, patients: list[dict[str, str]], per_client: int, kill_after: float
) -> Load:
    """Submit under load, SIGKILL the server mid-way, and return what was acknowledged before."""
    task = asyncio.create_task(submissions(server.url, patients, per_client))
    await asyncio.sleep(kill_after)
    await asyncio.to_thread(server.kill)
    load, _ = await task
    return load


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--submissions", type=int, default=1000, help="total submissions of the timed load")
    parser.add_argument("--page-views", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--kill-after", type=float, default=2.0, help="seconds into the crash load")
    return parser.parse_args()


async def run(args: argparse.Namespace, server: Server, database_url: str) -> int:
    async with httpx.AsyncClient(base_url=server.url, timeout=REQUEST_TIMEOUT) as client:
        patients = await register_patients(client, args.clients, "load")
    slugs = await publish(server.url, patients[0], 3)
    per_client = max(1, args.submissions // args.clients)
    await submissions(server.url, patients, 2)  # warm-up: connections, caches, engine pack in each worker
    load, elapsed = await submissions(server.url, patients, per_client)
    report_submissions(f"submissions ({args.clients} clients, {args.workers} workers)", load, elapsed)
    paths = [f"/api/v1/library/{slug}" for slug in slugs]
    ok, failed, seconds = await page_views(
        server.url, paths, args.clients, max(1, args.page_views // args.clients)
    )
    print(f"published-page views: {ok} in {seconds:.1f} s = {ok / seconds:.0f} views/s (failed {failed})")
    lost = check_stored(database_url, load.acknowledged, "after the load")
    crash = await crash_run(server, patients, per_client, args.kill_after)
    print(
        f"SIGKILL after {args.kill_after:.1f} s of load: "
        f"{len(crash.acknowledged)} cases acknowledged before the kill"
    )
    server.start()
    lost += check_stored(database_url, crash.acknowledged, "after SIGKILL and restart")
    again, again_elapsed = await submissions(server.url, patients, 5)
    report_submissions("after restart", again, again_elapsed)
    print(f"load average after the run {os.getloadavg()[0]:.2f} (other processes share these cores)")
    print("RESULT: " + ("zero lost" if lost == 0 else f"{lost} LOST"))
    return 0 if lost == 0 else 1


@contextmanager
def fresh_database(url: str | None, data_dir: Path) -> Iterator[str]:
    """A new SQLite file, or a new PostgreSQL schema (dropped afterwards) in the given database."""
    if not url:
        yield f"sqlite:///{data_dir / 'spineconsult.sqlite3'}"
        return
    if not url.startswith("postgresql"):
        yield url
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> int:
    args = parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="service-load-") as tmp,
        fresh_database(args.database_url, Path(tmp) / "data") as database_url,
    ):
        data_dir = Path(tmp) / "data"
        env = make_env(data_dir, database_url)
        for role, email, specialty in (
            ("specialist", "surgeon", "spine_surgery"),
            ("reviewer", "reviewer", None),
        ):
            add_user(env, role, f"{email}@bench.example.org", specialty)
        server = Server(env=env, port=free_port(), workers=args.workers)
        server.start()
        print(f"server: {server.url}, database: {database_url.split('@')[-1]}, log: {server.log}")
        print(f"machine: {os.cpu_count()} cores, load average before the run {os.getloadavg()[0]:.2f}")
        try:
            return asyncio.run(run(args, server, database_url))
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
