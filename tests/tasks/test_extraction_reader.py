"""Reading documents for task proposals, and the `daihoi extract-tasks` command (issue #4)."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from io import StringIO
from pathlib import Path

import docx
import pytest
from django.core.management import call_command

from daihoi.tasks.extraction import ReadError, read_path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "extraction_fixtures"
SAMPLE = "Ban Tổ chức Tỉnh ủy chủ trì xây dựng kế hoạch, hoàn thành trước ngày 15/3/2025."


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Word wrote it: a precomposed base and a combining tone mark."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        shape = "".join(m for m in parts[1:] if m in "\u0302\u0306\u031b")
        tone = "".join(m for m in parts[1:] if m not in "\u0302\u0306\u031b")
        out += unicodedata.normalize("NFC", parts[0] + shape).encode("cp1258")
        out += tone.encode("cp1258")
    return out


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),
        _cp1258(SAMPLE),
        unicodedata.normalize("NFD", SAMPLE).encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "cp1258", "nfd"],
)
def test_text_encodings_are_read(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "tb.txt"
    path.write_bytes(data)
    assert unicodedata.normalize("NFC", read_path(path)) == SAMPLE


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "rỗng"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "nhị phân"),
        (
            "Ban Tæ chøc TØnh ñy chñ tr× x©y dùng kÕ ho¹ch, hoµn thµnh tr­íc ngµy 15/3. "
            "§¶ng bé kh«ng ®­îc".encode("latin-1"),
            "TCVN3",
        ),
        (
            "Ban Toå chöùc Tænh uûy chuû trì xaây döïng keá hoaïch, hoaøn thaønh tröôùc ngaøy. "
            "Ñaûng boä khoâng ñöôïc".encode("latin-1"),
            "VNI",
        ),
    ],
    ids=["empty", "binary", "tcvn3", "vni"],
)
def test_bad_files_are_refused_in_vietnamese(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError, match=words):
        read_path(path)


def test_legacy_font_text_inside_utf8_or_docx_is_refused(tmp_path: Path) -> None:
    tcvn3 = "Ban Tæ chøc TØnh ñy chñ tr× x©y dùng kÕ ho¹ch. §¶ng bé kh«ng ®­îc"
    path = tmp_path / "tb.txt"
    path.write_text(tcvn3, encoding="utf-8")
    with pytest.raises(ReadError, match="TCVN3"):
        read_path(path)
    document = docx.Document()
    document.add_paragraph(tcvn3)
    document.save(str(tmp_path / "tb.docx"))
    with pytest.raises(ReadError, match="TCVN3"):
        read_path(tmp_path / "tb.docx")


def test_size_limit_and_broken_pdf(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(ReadError, match="quá lớn"):
        read_path(big, max_bytes=1024)
    pdf = tmp_path / "tb.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n")
    with pytest.raises(ReadError, match="PDF"):
        read_path(pdf)


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Giao Sở Nội vụ rà soát tổ chức bộ máy, hoàn thành trong quý IV/2025.")
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ["Nội dung", "Đơn vị chủ trì", "Phối hợp", "Thời hạn"], strict=True
    ):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells,
        ["Chuẩn bị hội trường", "Văn phòng Thành ủy", "Công an TP", "30/9/2025"],
        strict=True,
    ):
        cell.text = text
    path = tmp_path / "kh.docx"
    document.save(str(path))
    out = StringIO()
    call_command("extract_tasks", str(path), "--json", stdout=out)
    tasks = json.loads(out.getvalue())["tasks"]
    assert [t["lead_units"] for t in tasks] == [["Sở Nội vụ"], ["Văn phòng Thành ủy"]]
    assert tasks[1]["coordinating_units"] == ["Công an thành phố"]
    assert tasks[1]["deadline"]["date"] == "2025-09-30"
    assert tasks[0]["deadline"]["date"] == "2025-12-31"


def test_command_without_database_and_with_units_file(tmp_path: Path) -> None:
    # No django_db marker: any database access here would fail the test.
    units = tmp_path / "units.json"
    units.write_text(
        json.dumps({"units": [{"name": "Trung tâm Báo chí Đại hội", "aliases": ["TTBC"]}]}),
        encoding="utf-8",
    )
    text = tmp_path / "tb.txt"
    text.write_text("TTBC chủ trì cập nhật tin, bài thường xuyên.", encoding="utf-8")
    out = StringIO()
    call_command("extract_tasks", str(text), "--json", "--units", str(units), stdout=out)
    (task,) = json.loads(out.getvalue())["tasks"]
    assert task["lead_units"] == ["Trung tâm Báo chí Đại hội"]
    assert set(task) >= {"text", "coordinating_units", "deadline", "approval_chain", "references"}
    plain = StringIO()
    call_command("extract_tasks", str(FIXTURES / "nhieu_don_vi.txt"), stdout=plain)
    assert "Chủ trì: Ban Tổ chức Thành ủy" in plain.getvalue()


@pytest.mark.django_db
def test_command_with_db_units(tmp_path: Path) -> None:
    from daihoi.core.models import Unit

    Unit.objects.create(name="Ban Chỉ đạo phòng dịch", kind="group", aliases=["BCĐ phòng dịch"])
    text = tmp_path / "tb.txt"
    text.write_text("BCĐ phòng dịch chủ trì kiểm tra khu vực hội trường.", encoding="utf-8")
    out = StringIO()
    call_command("extract_tasks", str(text), "--json", "--db", stdout=out)
    assert json.loads(out.getvalue())["tasks"][0]["lead_units"] == ["Ban Chỉ đạo phòng dịch"]


def test_hyphenated_command_refuses_bad_input_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "tb.txt"
    bad.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "daihoi", "extract-tasks", str(bad), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Lỗi: Tệp rỗng: không có nội dung để đề xuất nhiệm vụ."
    ]


def test_pdf_with_a_text_layer(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from daihoi.tasks.extraction import extract

    path = tmp_path / "thong-bao.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    # Folded text: the directory matches names without diacritics as well.
    pdf.drawString(72, 760, "Giao Ban Tuyen giao Thanh uy chu tri xay dung phuong an trang tri,")
    pdf.drawString(72, 745, "hoan thanh truoc ngay 30/8/2020.")
    pdf.save()
    text = read_path(path)
    assert "Ban Tuyen giao Thanh uy" in text
    [proposal] = extract(text)
    assert proposal.lead_units == ["Ban Tuyên giáo Thành ủy"]
    assert proposal.deadline.date.isoformat() == "2020-08-30"


def test_scanned_pdf_without_text_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "ban-quet.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 72, 200, 200, fill=1)  # an image-like page, no text
    pdf.save()
    with pytest.raises(ReadError, match="không có lớp chữ"):
        read_path(path)
