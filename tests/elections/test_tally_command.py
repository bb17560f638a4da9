"""`daihoi tally`: JSON shape, the Vietnamese table, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from daihoi.vietnamese import nfd

ROOT = Path(__file__).resolve().parents[2]

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]
# 5 candidates, 3 seats, base 10: A 8, B 7, C 6, D 2, E 2; one too many, one all struck.
ROWS = ["1,1,1,0,0"] * 6 + ["1,0,0,1,1"] * 2 + ["0,1,0,0,0", "1,1,1,1,0", "0,0,0,0,0"]


def write_csv(tmp_path: Path, header: list[str], rows: list[str], *, reason: bool = False) -> Path:
    lines = [("invalid," if reason else "") + ",".join(header)]
    lines += [("," if reason else "") + row for row in rows]
    path = tmp_path / "phieu.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("tally", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as info:
        call_command("tally", *args, stdout=StringIO(), stderr=err)
    assert info.value.code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_json_shape(tmp_path: Path) -> None:
    path = write_csv(tmp_path, NAMES, ROWS)
    out, err = run(str(path), "--seats", "3", "--base", "10", "--json")
    assert err == ""
    assert json.loads(out) == {
        "seats": 3,
        "base": 10,
        "ballots_collected": 11,
        "valid": 9,
        "invalid": {"too_many": 1, "all_struck": 1},
        "candidates": [
            {"name": "Nguyễn Văn An", "votes": 8, "percent_of_base": 80.0},
            {"name": "Trần Thị Bình", "votes": 7, "percent_of_base": 70.0},
            {"name": "Lê Văn Cường", "votes": 6, "percent_of_base": 60.0},
            {"name": "Phạm Thị Dung", "votes": 2, "percent_of_base": 20.0},
            {"name": "Hoàng Văn Em", "votes": 2, "percent_of_base": 20.0},
        ],
        "elected": ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
        "tied": [],
        "unfilled": 0,
    }


def test_json_tie_board_reasons_and_two_decimals(tmp_path: Path) -> None:
    rows = ["1,1,0,0,0"] * 5 + ["0,0,1,0,0"] * 4 + ["0,1,0,1,0"] * 4 + ["1,0,0,0,0"]
    path = write_csv(tmp_path, NAMES, rows, reason=True)
    path.write_text(path.read_text(encoding="utf-8-sig") + "marked,1,0,0,0,0\nnot_issued,,,,,\n")
    out, _ = run(str(path), "--seats", "2", "--base", "13", "--json")
    data = json.loads(out)
    assert data["invalid"] == {"not_issued": 1, "marked": 1}
    assert data["elected"] == ["Trần Thị Bình"]  # 9 votes; An has 6 = 46.15 %
    assert data["candidates"][0]["percent_of_base"] == 46.15
    assert data["tied"] == [] and data["unfilled"] == 1
    tie = write_csv(tmp_path, NAMES, ["1,1,0,0,0"] * 4 + ["0,0,1,0,0"] * 4)
    data = json.loads(run(str(tie), "--seats", "2", "--base", "7", "--json")[0])
    assert data["elected"] == []
    assert data["tied"] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert data["unfilled"] == 0


def test_agree_and_single_kinds(tmp_path: Path) -> None:
    path = write_csv(tmp_path, NAMES[:2], ["1,1", "1,", "2,0", ",2"])
    data = json.loads(run(str(path), "--seats", "2", "--base", "5", "--kind", "agree", "--json")[0])
    assert data["valid"] == 3 and data["invalid"] == {"agree_all_blank_or_both": 1}
    assert [c["votes"] for c in data["candidates"]] == [2, 1]
    # One column: a ballot with neither box is written "" (a blank line is not a ballot).
    single = write_csv(tmp_path, NAMES[:1], ["1", "1", "0", "2", '""', ""])
    data = json.loads(
        run(str(single), "--seats", "1", "--base", "3", "--kind", "single", "--json")[0]
    )
    assert data["invalid"] == {"single_both_or_neither": 2}
    assert data["elected"] == ["Nguyễn Văn An"]


def test_readable_vietnamese_table(tmp_path: Path) -> None:
    path = write_csv(tmp_path, NAMES, ROWS[:8])
    out, _ = run(str(path), "--seats", "3", "--base", "14", "--issued", "12")
    assert "Số phiếu phát ra: 12" in out
    assert "Số phiếu thu vào: 8" in out
    assert "trúng cử khi được từ 8 phiếu trở lên" in out
    assert "57,14%" in out and "Trúng cử (theo số phiếu từ cao xuống thấp): Nguyễn Văn An" in out
    assert "Còn thiếu: 2 người" in out and "bầu lần 2 cho 2 chỗ" in out


def test_errors_are_one_vietnamese_line(tmp_path: Path, capsys) -> None:
    path = write_csv(tmp_path, NAMES, ROWS)
    assert fails(str(path), "--base", "10") == "Lỗi: Thiếu --seats."
    assert "--base phải là số nguyên" in fails(str(path), "--seats", "3", "--base", "mười")
    assert "lớn hơn 0" in fails(str(path), "--seats", "0", "--base", "10")
    assert "--kind «ranked» không có" in fails(
        str(path), "--seats", "3", "--base", "10", "--kind", "ranked"
    )
    assert "lớn hơn số phiếu phát ra (10)" in fails(
        str(path), "--seats", "3", "--base", "10", "--issued", "10"
    )
    with pytest.raises(SystemExit) as info:  # argparse runs before --stderr is wired
        call_command("tally", str(path), "--seats", "3", "--bogus")
    assert info.value.code == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("Lỗi: tham số dòng lệnh không hợp lệ (")
    single = fails(str(path), "--seats", "3", "--base", "10", "--kind", "single")
    assert "Phiếu một người" in single
    assert "Không có tệp" in fails(str(tmp_path / "x.csv"), "--seats", "3", "--base", "10")


def _daihoi(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "daihoi", "tally", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_from_a_shell_with_nfd_header_names(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [nfd(name) for name in NAMES], ROWS)
    assert nfd("Nguyễn") in path.read_text(encoding="utf-8-sig")
    # Nothing listens on port 1: the command must not need a database.
    unreachable = "postgres://postgres:secret@127.0.0.1:1/daihoi"
    result = _daihoi(str(path), "--seats", "3", "--base", "10", "--json", database_url=unreachable)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [c["name"] for c in data["candidates"]] == NAMES  # NFC
    assert data["elected"] == NAMES[:3]


def test_bad_cell_from_a_shell_exits_2_with_one_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path, NAMES, ROWS[:3] + ["1,1,x,0,0"])
    result = _daihoi(str(path), "--seats", "3", "--base", "10")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "Lỗi: Dòng 5, cột 3 (Lê Văn Cường): ô «x» không hợp lệ; "
        "phiếu gạch tên chỉ dùng 1 (giữ tên) hoặc 0 (gạch tên)."
    ]
