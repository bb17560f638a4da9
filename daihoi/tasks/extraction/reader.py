"""Reading a pasted document: TXT (UTF-8, UTF-16 with BOM, Windows-1258), DOCX, PDF text layer.

Legacy Vietnamese encodings that Python cannot decode (TCVN3/ABC, VNI) are recognised by their
byte signatures and refused with a message naming them. Every error is a ReadError whose message
is Vietnamese, ready for the user.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read as a document; the message is Vietnamese, for the user."""


# Read as Latin-1, TCVN3 (ABC) shows its letters as symbols that Vietnamese text in Windows-1258
# never uses: "§¶ng" (Đảng), "ViÖt" is VNI-like but "µ ¸ ¶ · ¹" (à á ả ã ạ) are TCVN3 only.
_TCVN3_CHARS = frozenset("¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹º»¼½¾")
# VNI writes a base letter and then a mark byte: "Vieät" (Việt), "Ñaûng" (Đảng); the bytes
# ä ö ø û ï ñ Ñ are no Vietnamese letters in Windows-1258.
_VNI_CHARS = frozenset("äöøûïñÑ")


def _share(text: str, chars: frozenset[str]) -> int:
    return sum(1 for ch in text if ch in chars)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 20


def refuse_legacy(text: str) -> str:
    """Refuse text typed in a legacy font (TCVN3 .VnTime, VNI-Times), whatever its container:
    their letters survive as Latin-1 symbols even in UTF-8 files and DOCX."""
    threshold = max(3, len(text.split()) // 20)
    if _share(text, _VNI_CHARS) > threshold:
        raise ReadError(
            "Tệp dùng bảng mã cũ VNI (VNI-Windows); hãy chuyển sang Unicode (UTF-8), "
            "ví dụ bằng Unikey, rồi thử lại."
        )
    if _share(text, _TCVN3_CHARS) > threshold:
        raise ReadError(
            "Tệp dùng bảng mã cũ TCVN3 (ABC); hãy chuyển sang Unicode (UTF-8), "
            "ví dụ bằng Unikey, rồi thử lại."
        )
    return text


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258; legacy fonts refused."""
    if not data.strip():
        raise ReadError("Tệp rỗng: không có nội dung để đề xuất nhiệm vụ.")
    if data.startswith(b"\xef\xbb\xbf"):
        return refuse_legacy(data[3:].decode("utf-8", errors="replace"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return refuse_legacy(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise ReadError("Tệp UTF-16 bị hỏng: hãy lưu lại ở dạng UTF-8.") from None
    if _looks_binary(data):
        raise ReadError("Tệp không phải văn bản (tệp nhị phân): hãy dán văn bản, DOCX hoặc TXT.")
    try:
        return refuse_legacy(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    refuse_legacy(data.decode("latin-1"))
    try:
        return data.decode("cp1258")  # Windows-1258: base letters and combining tones, NFC later
    except UnicodeDecodeError:
        raise ReadError("Không nhận ra bảng mã của tệp; hãy lưu lại ở dạng UTF-8.") from None


def _docx_text(path: Path) -> str:
    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise ReadError("Chưa cài python-docx nên không đọc được tệp DOCX.") from None
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"Tệp DOCX bị hỏng hoặc không đúng định dạng ({exc}).") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                text = " ".join(cell.text.split())
                if not cells or cells[-1] != text:  # merged cells repeat their text
                    cells.append(text)
            lines.append("\t".join(cells))
    return refuse_legacy("\n".join(lines))


def _pdf_text(path: Path) -> str:
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:  # noqa: BLE001 - any parser failure is the file's fault
        raise ReadError(f"Không đọc được tệp PDF ({type(exc).__name__}).") from None
    if not text.strip():
        raise ReadError("Tệp PDF không có lớp chữ (bản quét ảnh): hãy dùng bản DOCX hoặc TXT.")
    return unwrap_lines(text)


def unwrap_lines(text: str) -> str:
    """A PDF breaks sentences at the page margin: join a line to the previous one when that
    one does not end a sentence or clause and this one starts in lower case."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if out and stripped and out[-1] and out[-1][-1] not in ".;:!?" and stripped[0].islower():
            out[-1] = out[-1] + " " + stripped
        else:
            out.append(stripped)
    return "\n".join(out)


def read_path(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of a TXT, DOCX or PDF file, or a ReadError with a Vietnamese message."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise ReadError(f"Không mở được tệp «{path}».") from None
    if not path.is_file():
        raise ReadError(f"«{path}» không phải là tệp.")
    if size > max_bytes:
        raise ReadError(f"Tệp quá lớn ({size // 1024} KB); giới hạn là {max_bytes // 1024} KB.")
    if size == 0:
        raise ReadError("Tệp rỗng: không có nội dung để đề xuất nhiệm vụ.")
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"PK") and suffix in (".docx", ""):
        return _docx_text(path)
    if head.startswith(b"%PDF"):
        return _pdf_text(path)
    if suffix == ".doc":
        raise ReadError("Tệp .doc (Word cũ) chưa được hỗ trợ: hãy lưu lại dạng DOCX.")
    return decode_text(path.read_bytes())
