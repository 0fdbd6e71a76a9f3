"""Engine benchmark: throughput, latency, CLI cold start, peak memory, and vignette accuracy.

python benchmarks/engine.py [--shared ../shared] [--messages 2000] [--cold-runs 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from spineconsult.engine import assess
from spineconsult.knowledge import default_pack
from spineconsult.knowledge.schema import LEVELS

REPO = Path(__file__).resolve().parents[1]
HELD_OUT = REPO / "tests" / "engine"


def _order(path: Path) -> tuple[int, str]:
    digits = "".join(ch for ch in path.stem if ch.isdigit())
    return int(digits or 0), path.stem


# Every held-out set in tests/engine, in the order it was written (vignettes_extra.yaml first).
VIGNETTE_SETS = {f"held-out {p.name}": p for p in sorted(HELD_OUT.glob("vignettes_*.yaml"), key=_order)}


def load(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))) if path.exists() else []


def accuracy(vignettes: list[dict[str, Any]]) -> dict[str, Any]:
    ok = under = top1 = top3 = scored = 0
    misses = []
    for v in vignettes:
        a = assess({"asked_on": "2026-11-22", **v["input"]})
        ranked = [d.condition for d in a.differential[:3]] or ["(none: out of scope)"]
        ok += a.triage.level in v["triage"]
        under += LEVELS.index(a.triage.level) < min(LEVELS.index(x) for x in v["triage"])
        if v["top1"]:
            scored += 1
            top1 += ranked[0] in v["top1"]
            top3 += bool(set(ranked) & set(v["top1"]))
            if ranked[0] not in v["top1"]:
                misses.append(f"{v['id']}: {ranked[0]} (want {'/'.join(v['top1'])})")
        if a.triage.level not in v["triage"]:
            misses.append(f"{v['id']}: triage {a.triage.level} (want {'/'.join(v['triage'])})")
    n = len(vignettes)
    return {
        "n": n,
        "triage": ok / n,
        "under": under,
        "top1": top1 / max(scored, 1),
        "top3": top3 / max(scored, 1),
        "misses": misses,
    }


def messages(vignettes: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    inputs = [v["input"] for v in vignettes]
    return [{"asked_on": "2026-11-22", **inputs[i % len(inputs)]} for i in range(count)]


def throughput(cases: list[dict[str, Any]]) -> tuple[float, float, float]:
    assess(cases[0])  # pack load and pattern compilation happen once, before timing
    latencies = []
    start = time.perf_counter()
    for case in cases:
        t0 = time.perf_counter()
        assess(case)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    latencies.sort()
    return (
        len(cases) / elapsed,
        latencies[len(latencies) // 2] * 1000,
        latencies[int(len(latencies) * 0.99)] * 1000,
    )


def cold_start(runs: int) -> tuple[float, float]:
    exe = shutil.which("spineconsult") or str(Path(sys.executable).parent / "spineconsult")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"message": "Nine days after my L4-L5 laminectomy I cannot empty my bladder."}, handle)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([exe, "assess", handle.name, "--json"], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    Path(handle.name).unlink()
    child_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), child_peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared/ folder")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    t0 = time.perf_counter()
    info = default_pack().info
    print(f"pack {info.name} {info.version} loaded in {time.perf_counter() - t0:.3f} s")
    sets = {
        "public (shared/vignettes/public.yaml)": args.shared / "vignettes" / "public.yaml",
        **VIGNETTE_SETS,
        "blind (benchmarks/vignettes_blind.yaml)": Path(__file__).with_name("vignettes_blind.yaml"),
    }
    every = []
    for name, path in sets.items():
        vignettes = load(path)
        if not vignettes:
            print(f"{name}: not found, skipped")
            continue
        every.extend(vignettes)
        r = accuracy(vignettes)
        print(
            f"{name}: n={r['n']} triage acceptable {r['triage']:.1%}, under-triage {r['under']}, "
            f"top1 {r['top1']:.1%}, top3 {r['top3']:.1%}"
        )
        for miss in r["misses"]:
            print(f"    miss {miss}")
    rate, p50, p99 = throughput(messages(every, args.messages))
    print(
        f"throughput: {rate:.0f} assessments/s over {args.messages} messages (one process); "
        f"latency p50 {p50:.2f} ms, p99 {p99:.2f} ms"
    )
    print(f"peak memory (this process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    median, child_peak = cold_start(args.cold_runs)
    print(
        f"CLI cold start of `spineconsult assess FILE --json`: median {median:.3f} s "
        f"over {args.cold_runs} runs; peak memory {child_peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
