"""The one PDF font setup: a TrueType family that covers Vietnamese, registered with reportlab.

reportlab's built-in Type 1 fonts (Helvetica, Times) have no glyphs for ạ, ữ, ỳ…, so every PDF
of the project draws with the family registered here. The font is embedded (as a subset with a
ToUnicode map), so the printed page shows and a PDF reader extracts the exact Vietnamese text.

Where the font comes from, first found wins:
1. the folder named by the `DAIHOI_FONT_DIR` setting (or environment variable);
2. Noto Sans from the Debian package `fonts-noto-core`;
3. DejaVu Sans from the Debian package `fonts-dejavu-core`.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["BOLD", "REGULAR", "FontMissing", "FontFamily", "register_fonts"]

# The names PDF code draws with, whatever files they come from.
REGULAR = "DaihoiSans"
BOLD = "DaihoiSans-Bold"
FAMILY = "DaihoiSans"

# (regular, bold) file names, tried in this order in each folder.
_FILE_PAIRS = (
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)
_SYSTEM_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
)


class FontMissing(RuntimeError):
    """No font that covers Vietnamese was found; the message says what to install."""


@dataclass(frozen=True)
class FontFamily:
    regular: Path
    bold: Path


_lock = threading.Lock()
_registered: FontFamily | None = None


def _configured_dir() -> str:
    try:
        from django.conf import settings

        value = getattr(settings, "DAIHOI_FONT_DIR", "") if settings.configured else ""
    except ImportError:  # pragma: no cover - reportlab code used outside Django
        value = ""
    return value or os.environ.get("DAIHOI_FONT_DIR", "")


def _candidate_dirs() -> list[Path]:
    configured = _configured_dir()
    return ([Path(configured)] if configured else []) + list(_SYSTEM_DIRS)


def find_family() -> FontFamily:
    """The first (regular, bold) pair present on this machine, or FontMissing."""
    for folder in _candidate_dirs():
        for regular, bold in _FILE_PAIRS:
            if (folder / regular).is_file() and (folder / bold).is_file():
                return FontFamily(folder / regular, folder / bold)
    searched = ", ".join(str(d) for d in _candidate_dirs())
    raise FontMissing(
        "Không tìm thấy phông chữ tiếng Việt cho PDF (đã tìm trong: "
        f"{searched}). Cài gói Debian: sudo apt-get install fonts-noto-core, hoặc đặt "
        "DAIHOI_FONT_DIR tới thư mục có NotoSans-Regular.ttf và NotoSans-Bold.ttf."
    )


def register_fonts() -> FontFamily:
    """Register REGULAR and BOLD with reportlab once per process (idempotent, thread-safe)."""
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is None:
            family = find_family()
            # TTFont subsets and embeds the glyphs actually used, with a ToUnicode map.
            pdfmetrics.registerFont(TTFont(REGULAR, str(family.regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(family.bold)))
            addMapping(FAMILY, 0, 0, REGULAR)
            addMapping(FAMILY, 1, 0, BOLD)
            addMapping(FAMILY, 0, 1, REGULAR)
            addMapping(FAMILY, 1, 1, BOLD)
            _registered = family
    return _registered
