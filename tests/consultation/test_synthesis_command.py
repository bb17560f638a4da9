"""`daihoi synthesize COMMENTS.csv --json`: output shape, one-line refusals with exit code 2, and
no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]

BASE = "Đề nghị bổ sung chỉ tiêu về nhà ở xã hội cho công nhân các khu công nghiệp"
ROWS = [(f"m1-{i}", "Mục 1", BASE if i % 2 else BASE.upper() + "!!") for i in range(22)] + [
    ("m1-a", "Mục 1", "Nhất trí với dự thảo"),
    ("m1-b", "Mục 1", "Cần nói rõ giải pháp chống ùn tắc giao thông ở nội thành"),
    ("m1-c", "Mục 1", "😀😀"),
    ("m2-1", "Mục 2", "Dự thảo chưa nhắc đến việc nâng cấp trường học ở ngoại thành"),
    ("m2-2", "Mục 2", "du thao chua nhac den viec nang cap truong hoc o ngoai thanh"),
    ("m2-3", "Mục 2", 'Ô nhiễm không khí, "bụi mịn" đang rất nghiêm trọng\nCần giải pháp'),
]


def write(tmp_path: Path, rows=ROWS, header="id,section,content", encoding="utf-8") -> Path:
    import csv

    path = tmp_path / "y-kien.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        handle.write(header + "\r\n")
        csv.writer(handle).writerows(rows)
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("synthesize", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as info:
        call_command("synthesize", *args, stdout=StringIO(), stderr=err)
    assert info.value.code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Lỗi: ")
    return lines[0]


def test_json_shape(tmp_path: Path) -> None:
    out, err = run(str(write(tmp_path)), "--json")
    assert err == ""
    data = json.loads(out)
    assert set(data) == {"duplicates", "campaigns", "groups", "agreement", "empty", "sections"}
    assert data["duplicates"] == [[f"m1-{i}" for i in range(22)], ["m2-1", "m2-2"]]
    assert data["campaigns"] == [[f"m1-{i}" for i in range(22)]]
    assert data["agreement"] == ["m1-a"]
    assert data["empty"] == ["m1-c"]
    for group in data["groups"]:
        assert set(group) == {"section", "terms", "ids", "representative", "size"}
        assert group["section"] in {"Mục 1", "Mục 2"}
        assert all(isinstance(t, str) and t for t in group["terms"])
        assert group["representative"] in group["ids"]
    placed = sorted(i for g in data["groups"] for i in g["ids"])
    assert placed == sorted(r[0] for r in ROWS if r[0] not in {"m1-a", "m1-c"})
    assert [s["section"] for s in data["sections"]] == ["Mục 1", "Mục 2"]
    assert data["sections"][0]["comments"] == 25


def test_bom_column_order_seed_and_text_output(tmp_path: Path) -> None:
    rows = [(content, row_id, section) for row_id, section, content in ROWS]
    path = write(tmp_path, rows, header="content,id,section", encoding="utf-8-sig")
    one = json.loads(run(str(path), "--json", "--seed", "3")[0])
    two = json.loads(run(str(write(tmp_path)), "--json", "--seed", "3")[0])
    assert one == two
    text, _ = run(str(path))
    assert "Mục «Mục 1»: 25 ý kiến, 1 nhất trí chung, 1 nhóm trùng lặp, 1 chiến dịch" in text


def test_bad_input_one_line_exit_2(tmp_path: Path) -> None:
    assert "Không có tệp" in fails(str(tmp_path / "khong-co.csv"), "--json")
    assert "là thư mục" in fails(str(tmp_path), "--json")
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    assert "rỗng" in fails(str(empty))
    empty.write_bytes(b"\xef\xbb\xbf\r\n\r\n")  # a BOM and blank lines
    assert "rỗng" in fails(str(empty))
    header_only = tmp_path / "tieu-de.csv"
    header_only.write_text("id,section,content\n", encoding="utf-8")
    assert "không có ý kiến nào" in fails(str(header_only))
    missing = write(tmp_path, [("1", "x")], header="id,content")
    assert "thiếu cột section" in fails(str(missing))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"id,section,content\n1,A,ok\n2,A,Tr\xe0n ng\xe2p\n")  # Windows-1252
    assert "không phải UTF-8 (dòng 3)" in fails(str(latin))
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("id,section,content\n1,A,Đồng ý\n".encode("utf-16"))
    assert "không phải UTF-8" in fails(str(utf16))
    huge = write(tmp_path, [("1", "A", "x" * 200_000)])
    assert "Dòng 2 có ô dài quá 100.000 ký tự" in fails(str(huge))
    short_row = write(tmp_path, [("1", "A", "ok"), ("2", "A")])
    assert "Dòng 3 có 2 cột" in fails(str(short_row))
    twice = write(tmp_path, [("1", "A", "một"), ("1", "A", "hai")])
    assert "id «1» trùng với dòng 2" in fails(str(twice))
    no_id = write(tmp_path, [(" ", "A", "một")])
    assert "Dòng 2 thiếu id" in fails(str(no_id))
    no_section = write(tmp_path, [("1", "", "một")])
    assert "Dòng 2 thiếu section" in fails(str(no_section))
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"id,section,content\n1,A,abc\x00def\n")
    assert "ký tự NUL ở dòng 2" in fails(str(nul))
    broken = tmp_path / "broken.csv"
    broken.write_text('id,section,content\n1,A,"abc"def"\n2,A,"mở ngoặc\n', encoding="utf-8")
    assert "hỏng ở dòng 2" in fails(str(broken))
    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_text('id,section,content\n1,A,ok\n2,A,"mở ngoặc\n', encoding="utf-8")
    assert "hỏng ở dòng 3" in fails(str(unclosed))
    good = str(write(tmp_path))
    assert "--seed" in fails(good, "--seed", "abc")
    assert "--seed" in fails(good, "--seed", "-1")


def test_unknown_option(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as info:  # argparse runs before --stderr is wired
        call_command("synthesize", str(write(tmp_path)), "--bogus")
    assert info.value.code == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("Lỗi: tham số dòng lệnh không hợp lệ (")


def _daihoi(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    # Nothing listens on port 1: the command must not need a database.
    env["DATABASE_URL"] = "postgres://postgres:secret@127.0.0.1:1/daihoi"
    return subprocess.run(
        [sys.executable, "-m", "daihoi", "synthesize", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_from_a_shell_without_a_database(tmp_path: Path) -> None:
    result = _daihoi(str(write(tmp_path)), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["campaigns"] == [[f"m1-{i}" for i in range(22)]]


def test_bad_file_from_a_shell_has_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,section,content\n1,A,\xff\xfe\n")
    result = _daihoi(str(bad), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "Lỗi: Tệp không phải UTF-8 (dòng 2); hãy lưu lại dạng CSV UTF-8."
    ]


def test_no_query_even_with_a_database_at_hand(
    tmp_path: Path, db, django_assert_num_queries
) -> None:
    path = write(tmp_path)
    with django_assert_num_queries(0):
        out, _ = run(str(path), "--json")
    assert json.loads(out)["agreement"] == ["m1-a"]


CELL = st.text(
    alphabet=st.sampled_from(list('aăâđêôơưàảãáạ ,"\n\r\t;😀İß') + ["\u0301", "\ufeff"]),
    max_size=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.lists(st.lists(CELL, min_size=0, max_size=4), max_size=6)
        .map(lambda rows: "id,section,content\n" + "\n".join(",".join(cells) for cells in rows))
        .map(str.encode),
    )
)
def test_any_file_gives_a_result_or_one_line(tmp_path: Path, data: bytes) -> None:
    """Whatever the file holds: JSON on stdout, or one "Lỗi:" line and exit code 2."""
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    out, err = StringIO(), StringIO()
    try:
        call_command("synthesize", str(path), "--json", stdout=out, stderr=err)
    except SystemExit as exc:
        assert exc.code == 2
        assert len(err.getvalue().strip().splitlines()) == 1
        assert err.getvalue().startswith("Lỗi: ")
    else:
        assert set(json.loads(out.getvalue())) >= {"duplicates", "campaigns", "groups"}
