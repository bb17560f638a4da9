"""The unit directory: canonical names with aliases, matched in folded text.

Three sources: a built-in list of common Party and State bodies (no database), a units JSON file
(the shape of hanoi-units.json) and the database's ``daihoi.core.models.Unit`` rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from daihoi.vietnamese import fold, nfc

from .textutil import fold_keep


@dataclass(frozen=True)
class UnitEntry:
    name: str
    aliases: tuple[str, ...] = ()
    acronym: str = ""


def _trie_pattern(words: list[str]) -> str:
    """One regex for many names, factored by common prefixes (much faster than a flat
    alternation); the longest name wins because longer branches come first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in " ".join(word.split()):
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = []
        for ch in sorted((c for c in node if c), key=lambda c: -_depth(node[c])):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _depth(node: dict) -> int:
    return 1 + max((_depth(child) for child in node.values()), default=0)


@dataclass
class Directory:
    """Canonical names by folded variant, and one regex that finds every variant in folded text."""

    entries: list[UnitEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_variant: dict[str, str] = {}
        for entry in self.entries:
            for variant in (entry.name, *entry.aliases):
                if variant and len(fold(variant)) > 2:
                    self._by_variant.setdefault(fold(variant), nfc(entry.name))
        body = _trie_pattern(list(self._by_variant)) or "(?!x)x"
        self._regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)")

    def lookup(self, text: str) -> str | None:
        """Canonical name of a unit written ``text`` (any case or diacritics), or None."""
        return self._by_variant.get(" ".join(fold_keep(nfc(text)).split()))

    def canonical(self, text: str) -> str:
        return self.lookup(text) or nfc(text).strip()

    def finditer(self, folded: str) -> Iterable[re.Match[str]]:
        return self._regex.finditer(folded)

    def __len__(self) -> int:
        return len(self.entries)


# Levels of Party committees and the suffix of their bodies.
_PARTY_LEVELS = ("Thành ủy", "Tỉnh ủy", "Quận ủy", "Huyện ủy", "Thị ủy", "Đảng ủy", "Trung ương")
_PARTY_BODIES = [
    ("Ban Tuyên giáo", "BTG"),
    ("Ban Tổ chức", "BTC"),
    ("Ban Dân vận", "BDV"),
    ("Ban Nội chính", "BNC"),
    ("Văn phòng", "VP"),
    ("Ủy ban Kiểm tra", "UBKT"),
    ("Thường trực", "TT"),
    ("Ban Thường vụ", "BTV"),
    ("Ban Chấp hành", "BCH"),
]
_DEPARTMENTS = [
    "Nội vụ",
    "Tài chính",
    "Kế hoạch và Đầu tư",
    "Tư pháp",
    "Công Thương",
    "Xây dựng",
    "Y tế",
    "Giáo dục và Đào tạo",
    "Giao thông vận tải",
    "Tài nguyên và Môi trường",
    "Thông tin và Truyền thông",
    "Lao động - Thương binh và Xã hội",
    "Văn hóa và Thể thao",
    "Văn hóa, Thể thao và Du lịch",
    "Du lịch",
    "Khoa học và Công nghệ",
    "Nông nghiệp và Phát triển nông thôn",
    "Ngoại vụ",
    "Quy hoạch - Kiến trúc",
]
_MINISTRIES = [
    "Công an",
    "Quốc phòng",
    "Ngoại giao",
    *[d for d in _DEPARTMENTS if d not in ("Văn hóa và Thể thao", "Du lịch", "Ngoại vụ")],
]
_PLACES = ("thành phố", "tỉnh")


def _builtin_entries() -> list[UnitEntry]:
    out: list[UnitEntry] = []
    for level in _PARTY_LEVELS:
        out.append(UnitEntry(level if level != "Trung ương" else "Ban Chấp hành Trung ương"))
        for body, short in _PARTY_BODIES:
            if level == "Trung ương" and body == "Văn phòng":
                out.append(UnitEntry("Văn phòng Trung ương Đảng", ("Văn phòng Trung ương",)))
                continue
            out.append(UnitEntry(f"{body} {level}", (f"{short} {level}",)))
    for dept in _DEPARTMENTS:
        out.append(UnitEntry(f"Sở {dept}"))
    for ministry in _MINISTRIES:
        out.append(UnitEntry(f"Bộ {ministry}"))
    for place in _PLACES:
        short = "TP" if place == "thành phố" else "tỉnh"
        out += [
            UnitEntry(f"Ủy ban nhân dân {place}", (f"UBND {place}", f"UBND {short}")),
            UnitEntry(f"Hội đồng nhân dân {place}", (f"HĐND {place}", f"HĐND {short}")),
            UnitEntry(
                f"Ban Cán sự đảng UBND {place}",
                (f"Ban Cán sự đảng Ủy ban nhân dân {place}", f"BCSĐ UBND {place}"),
            ),
            UnitEntry(f"Công an {place}", (f"Công an {short}",)),
            UnitEntry(f"Bộ Chỉ huy Quân sự {place}", (f"Bộ CHQS {place}",)),
            UnitEntry(
                f"Liên đoàn Lao động {place}", (f"LĐLĐ {place}", f"Liên đoàn Lao động {short}")
            ),
            UnitEntry(
                f"Ủy ban Mặt trận Tổ quốc Việt Nam {place}",
                (f"Ủy ban MTTQ Việt Nam {place}", f"Ủy ban MTTQ {place}", f"MTTQ {place}"),
            ),
            UnitEntry(f"Hội Liên hiệp Phụ nữ {place}", (f"Hội LHPN {place}",)),
            UnitEntry(f"Hội Nông dân {place}"),
            UnitEntry(f"Hội Cựu chiến binh {place}"),
            UnitEntry(f"Văn phòng UBND {place}", (f"Văn phòng Ủy ban nhân dân {place}",)),
        ]
    out += [
        UnitEntry("Bộ Chính trị"),
        UnitEntry("Ban Bí thư"),
        UnitEntry("Chính phủ"),
        UnitEntry("Văn phòng Chính phủ"),
        UnitEntry("Thanh tra Chính phủ"),
        UnitEntry("Thủ tướng Chính phủ"),
        UnitEntry("Ngân hàng Nhà nước Việt Nam", ("Ngân hàng Nhà nước",)),
        UnitEntry("Quốc hội"),
        UnitEntry("Ủy ban Thường vụ Quốc hội"),
        UnitEntry("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"),
        UnitEntry("Bộ Văn hóa, Thể thao và Du lịch", ("Bộ VHTTDL",)),
        UnitEntry("Đài Truyền hình Việt Nam"),
        UnitEntry("Đài Tiếng nói Việt Nam"),
        UnitEntry("Thông tấn xã Việt Nam"),
        UnitEntry("Bộ Tư lệnh Thủ đô Hà Nội", ("Bộ Tư lệnh Thủ đô", "BTL Thủ đô")),
        UnitEntry("Đài Phát thanh và Truyền hình Hà Nội", ("Đài PT-TH Hà Nội", "Đài PTTH Hà Nội")),
        UnitEntry("Thành đoàn", ("Thành Đoàn",)),
        UnitEntry("Tỉnh đoàn", ("Tỉnh Đoàn",)),
        UnitEntry("Tiểu ban tổ chức phục vụ đại hội", ("Tiểu ban", "Tiểu ban Tổ chức phục vụ")),
        UnitEntry("Tiểu ban Văn kiện"),
        UnitEntry("Tiểu ban Nhân sự"),
    ]
    return out


@lru_cache(maxsize=1)
def builtin_directory() -> Directory:
    """Common Party and State bodies, for use without a database or a units file (built once)."""
    return Directory(_builtin_entries())


def directory_from_records(records: Iterable[dict]) -> Directory:
    entries = []
    for rec in records:
        aliases = [a for a in rec.get("aliases") or [] if a]
        for key in ("short_name", "acronym"):
            if rec.get(key):
                aliases.append(rec[key])
        entries.append(UnitEntry(nfc(rec["name"]), tuple(nfc(a) for a in aliases)))
    return Directory(entries)


def directory_from_file(path: str | Path) -> Directory:
    """A units JSON file: ``{"units": [{"name", "aliases", "acronym", ...}]}`` or a bare list."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    records = data["units"] if isinstance(data, dict) else data
    return directory_from_records(records)


def directory_from_db() -> Directory:
    from daihoi.core.models import Unit

    return directory_from_records(
        {"name": u.name, "short_name": u.short_name, "acronym": u.acronym, "aliases": u.aliases}
        for u in Unit.objects.all()
    )


def directory_with_builtin(directory: Directory) -> Directory:
    """The installation's units first, then the common bodies it has not entered yet."""
    known = {entry.name for entry in directory.entries}
    extra = [entry for entry in builtin_directory().entries if entry.name not in known]
    return Directory([*directory.entries, *extra])


__all__ = [
    "Directory",
    "directory_with_builtin",
    "UnitEntry",
    "builtin_directory",
    "directory_from_db",
    "directory_from_file",
    "directory_from_records",
    "fold_keep",
]
