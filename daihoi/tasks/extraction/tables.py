"""Tables flattened to text, one row a line, cells separated by tabs or " | "."""

from __future__ import annotations

import re
from collections.abc import Callable

from .directory import Directory
from .textutil import fold_keep

_HEADS = {
    "text": re.compile(r"noi dung|nhiem vu|cong viec|ten nhiem vu"),
    "lead": re.compile(r"chu tri|don vi thuc hien|co quan thuc hien|trach nhiem"),
    "coord": re.compile(r"phoi hop"),
    "deadline": re.compile(r"thoi gian|thoi han|han hoan thanh|tien do|thoi diem"),
}


def _cells(line: str) -> list[str]:
    parts = line.split("\t") if "\t" in line else line.split(" | ")
    return [p.strip() for p in parts]


def _columns(header: list[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, cell in enumerate(header):
        folded = fold_keep(cell)
        for role in ("coord", "lead", "deadline", "text"):
            if role not in cols and _HEADS[role].search(folded):
                cols[role] = i
                break
    return cols


def split_units(cell: str, directory: Directory) -> tuple[list[str], list[str]]:
    """Names in a cell or after a label: whole parts first, then parts between commas; "và"
    splits only when every piece is known (so "Sở Kế hoạch và Đầu tư" stays one name)."""
    names: list[str] = []
    unknown: list[str] = []
    for part in re.split(r";|\n|\s+-\s+", cell):
        part = part.strip(" .")
        if not part:
            continue
        if hit := directory.lookup(part):
            names.append(hit)
            continue
        for chunk in re.split(r",\s*(?=[A-ZĐÀ-Ỹ]|các\s)", part):
            chunk = chunk.strip(" .")
            if not chunk:
                continue
            if hit := directory.lookup(chunk):
                names.append(hit)
                continue
            pieces = [p.strip() for p in re.split(r"\s+và\s+", chunk) if p.strip()]
            hits = [directory.lookup(p) for p in pieces]
            if len(pieces) > 1 and all(hits):
                names += [h for h in hits if h]
            else:
                names.append(chunk)
                unknown.append(chunk)
    return names, unknown


def _cell(cells: list[str], cols: dict[str, int], role: str) -> str:
    i = cols.get(role)
    return cells[i] if i is not None and i < len(cells) else ""


def table_proposals(
    rows: list[str], directory: Directory, year: int | None, analyse: Callable
) -> list:
    """Rows under a header naming the content, lead, coordinating and deadline columns."""
    out = []
    cols: dict[str, int] = {}
    for line in rows:
        cells = _cells(line)
        found = _columns(cells)
        if "text" in found and ("lead" in found or "deadline" in found):
            cols = found
            continue
        if "text" not in cols:
            # No header: the longest cell is the task, analysed as prose.
            body = max(cells, key=len)
            proposal, _ = analyse(
                " ".join(c for c in cells if c and not c.isdigit()), directory, year
            )
            proposal.text = body
            out.append(proposal)
            continue

        text = _cell(cells, cols, "text")
        if not text:
            continue
        proposal, _ = analyse(text, directory, year)
        deadline_cell = _cell(cells, cols, "deadline")
        if deadline_cell:
            dl, _ = analyse(deadline_cell, directory, year)
            proposal.deadline = dl.deadline
        lead, unknown_lead = split_units(_cell(cells, cols, "lead"), directory)
        coord, unknown_coord = split_units(_cell(cells, cols, "coord"), directory)
        proposal.lead_units = lead or proposal.lead_units
        proposal.coordinating_units = coord or proposal.coordinating_units
        proposal.unknown_units = list(dict.fromkeys(unknown_lead + unknown_coord))
        out.append(proposal)
    return out
