"""Benchmark: `daihoi extract-tasks` on notice 2682-TB/TU against its annotated JSON (issue 4).

A prediction matches a gold task when its text contains the gold ``key`` (NFC, lower case); each
gold task and each prediction match at most once. Unit names on both sides are compared through
the directory (so "Bộ Tư lệnh Thủ đô" = "Bộ Tư lệnh Thủ đô Hà Nội"); accuracies are over all gold
tasks (an unmatched gold task counts as wrong). Speed: extract() on pages of ~3,000 characters.
Prints one JSON line. Usage: python bench/extract_tasks.py [--units FILE]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
NOTICE = DATA / "notices" / "2682-TB-TU.txt"
GOLD = DATA / "notices" / "2682-TB-TU.json"
sys.path.insert(0, str(ROOT))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def run_command(extra: list[str]) -> list[dict]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="daihoi.settings")
    out = subprocess.run(
        [sys.executable, "-m", "daihoi", "extract-tasks", str(NOTICE), "--json", *extra],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return json.loads(out.stdout)["tasks"]


def score(predicted: list[dict], gold: list[dict], directory) -> dict:
    used: set[int] = set()
    pairs: list[tuple[dict, dict | None]] = []
    for task in gold:
        key = _norm(task["key"])
        match = next(
            (i for i, p in enumerate(predicted) if i not in used and key in _norm(p["text"])), None
        )
        if match is not None:
            used.add(match)
        pairs.append((task, predicted[match] if match is not None else None))

    def units(names: list[str]) -> set[str]:
        return {_norm(directory.canonical(n)) for n in names}

    n = len(gold) or 1
    lead = sum(1 for g, p in pairs if p and units(g["lead_units"]) == units(p["lead_units"]))
    kind = sum(1 for g, p in pairs if p and g["deadline"]["kind"] == p["deadline"]["kind"])
    day = sum(1 for g, p in pairs if p and g["deadline"]["date"] == p["deadline"]["date"])
    matched = sum(1 for _, p in pairs if p)
    return {
        "recall": round(matched / n, 3),
        "precision": round(matched / (len(predicted) or 1), 3),
        "lead_unit_accuracy": round(lead / n, 3),
        "deadline_kind_accuracy": round(kind / n, 3),
        "deadline_date_accuracy": round(day / n, 3),
    }


def pages_per_second(text: str, directory) -> float:
    from daihoi.tasks.extraction import extract
    from daihoi.tasks.extraction.textutil import fold_keep

    pages = []
    chunk = ""
    for paragraph in (text * 3).split("\n"):
        chunk += paragraph + "\n"
        if len(chunk) >= 3000:
            pages.append(chunk)
            chunk = ""
    started = time.perf_counter()
    count = 0
    while time.perf_counter() - started < 2.0:
        for page in pages:
            fold_keep.cache_clear()  # every page is new text: no help from the cache
            extract(page, directory)
            count += 1
    return count / (time.perf_counter() - started)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    from daihoi.tasks.extraction import builtin_directory, directory_from_file

    extra = sys.argv[1:]
    units_file = extra[extra.index("--units") + 1] if "--units" in extra else None
    directory = directory_from_file(units_file) if units_file else builtin_directory()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["tasks"]
    result = score(run_command(extra), gold, directory)
    text = NOTICE.read_text(encoding="utf-8")
    result["pages_per_second"] = round(pages_per_second(text, directory), 1)
    result["cores"] = os.cpu_count()  # of the machine; the speed is measured on one core
    result["directory"] = "file" if units_file else "builtin"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
