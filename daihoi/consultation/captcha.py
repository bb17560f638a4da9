"""Mã xác nhận: an image captcha drawn here (Pillow and the project's font), nothing fetched.

A challenge is a random key and five characters from an alphabet without look-alikes (no 0/O,
1/I/L, 2/Z, 5/S, 8/B). The answer stays on the server, in the cache under the key, for
CHALLENGE_SECONDS; the form carries only the key. Checking an answer deletes the challenge
first, so each image is good for one try, right or wrong (two requests racing with the same key:
only the one whose delete succeeds may pass).

Test-only switch: `DAIHOI_CAPTCHA_TEST_BYPASS` (at least 16 characters) lets an answer equal to
that value pass without an image, so the intake benchmark and tests can post many comments. It is
refused — ImproperlyConfigured when this module is imported, i.e. when the URLs load — unless
the server runs with DEBUG on, under pytest, or against a database whose name says it is a
benchmark or test database (`daihoi_bench_*`, `test_*`). A production server has none of these,
so setting the variable there stops the public pages from starting instead of opening them.
"""

from __future__ import annotations

import io
import os
import random
import secrets
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

ALPHABET = "ACDEFGHJKMNPRTUVWXY34679"
LENGTH = 5
CHALLENGE_SECONDS = 15 * 60
KEY_PREFIX = "gy:cap:"
BYPASS_ENV = "DAIHOI_CAPTCHA_TEST_BYPASS"
BYPASS_MIN_LENGTH = 16
WIDTH, HEIGHT = 180, 60


def bypass_allowed_here(debug: bool, database_name: str, under_pytest: bool) -> bool:
    """Whether the test-only switch may be on for this server (see the module docstring)."""
    name = os.path.basename(str(database_name or ""))
    return debug or under_pytest or name.startswith(("daihoi_bench_", "test_"))


def configured_bypass() -> str:
    """The switch's value, or "" when off; ImproperlyConfigured where it is not allowed."""
    value = os.environ.get(BYPASS_ENV, "")
    if not value:
        return ""
    under_pytest = "pytest" in sys.modules or bool(os.environ.get("PYTEST_VERSION"))
    database_name = settings.DATABASES["default"].get("NAME", "")
    if not bypass_allowed_here(settings.DEBUG, database_name, under_pytest):
        raise ImproperlyConfigured(
            f"{BYPASS_ENV} chỉ dùng cho kiểm thử và đo hiệu năng; máy chủ thật (DEBUG tắt, cơ sở "
            f"dữ liệu «{os.path.basename(str(database_name))}») không được bật. Hãy bỏ biến này."
        )
    if len(value) < BYPASS_MIN_LENGTH:
        raise ImproperlyConfigured(f"{BYPASS_ENV} cần ít nhất {BYPASS_MIN_LENGTH} ký tự.")
    return value


_BYPASS = configured_bypass()


def new_challenge() -> str:
    """A fresh challenge; returns its key (the answer is kept in the cache)."""
    key = secrets.token_urlsafe(18)
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    cache.set(KEY_PREFIX + key, answer, CHALLENGE_SECONDS)
    return key


def answer_for(key: str) -> str | None:
    """The answer of a live challenge (to draw its image), None if unknown or used."""
    if not _valid_key(key):
        return None
    return cache.get(KEY_PREFIX + key)


def _valid_key(key: str) -> bool:
    return bool(key) and len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum()


def normalise(answer: str) -> str:
    return "".join((answer or "").split()).upper()[:20]


def verify(key: str, answer: str) -> bool:
    """True once for the right answer; the challenge is gone after any try."""
    answer = normalise(answer)
    if _BYPASS and answer and secrets.compare_digest(answer, normalise(_BYPASS)):
        return True
    if not _valid_key(key) or not answer:
        return False
    cache_key = KEY_PREFIX + key
    expected = cache.get(cache_key)
    if expected is None or not cache.delete(cache_key):
        return False
    return secrets.compare_digest(answer, expected)


def _font(size: int):
    from PIL import ImageFont

    from daihoi.core.office.fonts import FontMissing, find_family

    try:
        return ImageFont.truetype(str(find_family().bold), size)
    except (FontMissing, OSError):
        return ImageFont.load_default(size=size)


def render_png(text: str) -> bytes:
    """The characters drawn one by one, turned and shifted, over noise lines and dots."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(secrets.randbits(64))
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 245, 242))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        points = [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _ in range(2)]
        colour = tuple(rng.randint(120, 200) for _ in range(3))
        draw.line(points, fill=colour, width=rng.randint(1, 2))
    font = _font(34)
    step = (WIDTH - 20) // max(1, len(text))
    for index, char in enumerate(text):
        glyph = Image.new("RGBA", (50, 56), (0, 0, 0, 0))
        colour = (rng.randint(20, 110), rng.randint(10, 60), rng.randint(10, 60), 255)
        ImageDraw.Draw(glyph).text((8, 4), char, font=font, fill=colour)
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.BICUBIC, expand=False)
        x = 10 + index * step + rng.randint(-3, 3)
        y = rng.randint(-2, 8)
        image.paste(glyph, (x, y), glyph)
    for _ in range(180):
        xy = (rng.randrange(WIDTH), rng.randrange(HEIGHT))
        draw.point(xy, fill=tuple(rng.randint(60, 180) for _ in range(3)))
    for _ in range(2):
        y0, y1 = rng.randint(10, HEIGHT - 10), rng.randint(10, HEIGHT - 10)
        draw.line([(0, y0), (WIDTH, y1)], fill=(90, 40, 40), width=2)
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
