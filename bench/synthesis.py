"""Benchmark: `daihoi synthesize COMMENTS.csv --json` on synthetic comments built from the real ones
(bench/_comments.py), whole process wall time and peak memory of that process.

Targets: 100,000 comments <= 60 s and <= 2 GB; 1,000,000 comments <= 15 min and <= 8 GB.
Also measured: near-duplicate precision and recall (pairs of comments in one predicted group vs
one planted family, over the comments the engine did not set apart as general agreement), the
share of planted campaigns found whole, the share of planted agreement lines set apart, and
NMI of the topic groups against the aspect labels of the 2,471 real comments.
Writing the file is not timed; the command's CPU seconds and the machine's load average are
printed too, since wall time on a shared machine depends on what else runs. Needs no database.
Prints one JSON line.
Usage: python bench/synthesis.py   (BENCH_COMMENTS=1000000, BENCH_SECTIONS=10, BENCH_RUNS=1,
BENCH_SEED=0)
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _comments import generate, real_lines  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {100_000: (60.0, 2.0), 1_000_000: (900.0, 8.0)}


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pair_scores(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """Pairwise precision and recall of ``predicted`` labels against ``truth`` labels."""
    _, t = np.unique(truth, return_inverse=True)
    _, p = np.unique(predicted, return_inverse=True)
    joint = t.astype(np.int64) * (p.max() + 1) + p
    together = _pairs(np.unique(joint, return_counts=True)[1])
    said = _pairs(np.bincount(p))
    real = _pairs(np.bincount(t))
    return (together / said if said else 1.0), (together / real if real else 1.0)


def write_csv(path: Path, rows: list[tuple[str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "section", "content"])
        writer.writerows(rows)


def run(path: Path) -> tuple[float, float, float, dict]:
    """Wall seconds, CPU seconds and peak resident GB of the command's process (from wait4),
    parsed output."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DAIHOI_DATA_DIR"] = str(path.parent)
    command = [sys.executable, "-m", "daihoi", "synthesize", str(path), "--json"]
    out_path = path.with_suffix(".json")
    with out_path.open("wb") as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().decode(errors="replace").strip()
    if child.returncode != 0:
        raise SystemExit(f"daihoi synthesize failed ({child.returncode}): {message}")
    peak_gb = usage.ru_maxrss / 1024 / 1024  # kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, peak_gb, json.loads(out_path.read_text(encoding="utf-8"))


def duplicate_scores(rows, truth, output) -> dict:
    index = {row[0]: i for i, row in enumerate(rows)}
    n = len(rows)
    predicted = np.arange(n, dtype=np.int64) + n  # singletons
    for g, ids in enumerate(output["duplicates"]):
        for i in ids:
            predicted[index[i]] = g
    agreement = np.zeros(n, dtype=bool)
    for i in output["agreement"]:
        agreement[index[i]] = True
    planted_agreement = truth.family == -1
    keep = ~agreement & ~planted_agreement
    precision, recall = pair_scores(truth.family[keep], predicted[keep])
    in_variant = np.isin(truth.family, list(truth.variants)) & keep
    var_p, var_r = pair_scores(truth.family[in_variant], predicted[in_variant])
    campaign_sets = [{index[i] for i in ids} for ids in output["campaigns"]]
    found = 0
    for fam in truth.campaigns:
        members = set(np.flatnonzero(truth.family == fam).tolist())
        if any(len(members & c) >= 0.9 * len(members) for c in campaign_sets):
            found += 1
    return {
        "dup_precision": round(precision, 6),
        "dup_recall": round(recall, 6),
        "variant_families_precision": round(var_p, 6),
        "variant_families_recall": round(var_r, 6),
        "campaigns_planted": len(truth.campaigns),
        "campaigns_found_whole": found,
        "campaigns_flagged": len(output["campaigns"]),
        "agreement_recall": round(float((agreement & planted_agreement).sum())
                                  / max(1, int(planted_agreement.sum())), 4),
        "agreement_other": int((agreement & ~planted_agreement).sum()),
    }  # fmt: skip


def real_nmi(seed: int) -> dict:
    from sklearn.metrics import normalized_mutual_info_score

    from daihoi.consultation.synthesis import synthesize_section

    lines = real_lines()
    result = synthesize_section("real", [(i, t) for i, (_, t) in enumerate(lines)], seed=seed)
    label = {i: g for g, group in enumerate(result.groups) for i in group.ids}
    kept = sorted(label)
    nmi = normalized_mutual_info_score([lines[i][0] for i in kept], [label[i] for i in kept])
    return {"real_comments": len(lines), "real_groups": len(result.groups),
            "real_nmi": round(float(nmi), 4)}  # fmt: skip


def main() -> None:
    n = int(os.environ.get("BENCH_COMMENTS", "100000"))
    sections = int(os.environ.get("BENCH_SECTIONS", "10"))
    runs = int(os.environ.get("BENCH_RUNS", "1"))
    seed = int(os.environ.get("BENCH_SEED", "0"))
    rows, truth = generate(n, sections, seed=seed)
    seconds: list[float] = []
    cpu: list[float] = []
    peaks: list[float] = []
    with tempfile.TemporaryDirectory(prefix="daihoi-bench-") as folder:
        path = Path(folder) / "y-kien.csv"
        write_csv(path, rows)
        size_mb = path.stat().st_size / 1e6
        for _ in range(runs):
            s, c, gb, output = run(path)
            seconds.append(round(s, 2))
            cpu.append(round(c, 2))
            peaks.append(round(gb, 3))
    target_s, target_gb = TARGETS.get(n, TARGETS[min(TARGETS, key=lambda k: abs(k - n))])
    report = {
        "bench": "synthesis", "comments": n, "sections": sections, "file_mb": round(size_mb, 1),
        "cores": os.cpu_count(), "runs": runs, "seconds": seconds, "cpu_seconds": cpu,
        "peak_gb": peaks,
        "load_average": round(os.getloadavg()[0], 1),
        "groups": len(output["groups"]), "duplicate_groups": len(output["duplicates"]),
        **duplicate_scores(rows, truth, output), **real_nmi(seed),
        "target_s": target_s, "target_gb": target_gb,
        "ok": max(seconds) <= target_s and max(peaks) <= target_gb,
    }  # fmt: skip
    print(json.dumps(report))


if __name__ == "__main__":
    main()
