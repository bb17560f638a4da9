"""Mã xác nhận: drawn locally, answer kept on the server, one try per image, expiry; the
test-only switch is refused by a production server."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from daihoi.consultation import captcha
from tests.consultation.test_drafts import _fresh_cache  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[2]


def test_a_challenge_is_five_unambiguous_characters_kept_on_the_server():
    key = captcha.new_challenge()
    answer = captcha.answer_for(key)
    assert len(answer) == captcha.LENGTH and set(answer) <= set(captcha.ALPHABET)
    assert not set("0O1IL2Z5S8B") & set(captcha.ALPHABET)
    assert answer not in key


def test_the_right_answer_passes_once_in_any_case():
    key = captcha.new_challenge()
    answer = captcha.answer_for(key)
    assert captcha.verify(key, " " + answer.lower() + " ")
    assert not captcha.verify(key, answer)  # used up
    assert captcha.answer_for(key) is None


def test_a_wrong_answer_uses_the_challenge_up():
    key = captcha.new_challenge()
    answer = captcha.answer_for(key)
    assert not captcha.verify(key, "XXXXX" if answer != "XXXXX" else "YYYYY")
    assert not captcha.verify(key, answer)


def test_an_expired_or_made_up_key_fails():
    key = captcha.new_challenge()
    answer = captcha.answer_for(key)
    cache.delete(captcha.KEY_PREFIX + key)  # what the expiry does
    assert not captcha.verify(key, answer)
    assert not captcha.verify("../../etc/passwd", "AAAAA")
    assert not captcha.verify("", "")


def test_the_image_is_a_png_drawn_here():
    data = captcha.render_png("ACDEF")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (captcha.WIDTH, captcha.HEIGHT)
    # Not blank: the characters and the noise leave many different colours.
    assert len(image.convert("RGB").getcolors(maxcolors=100_000)) > 50
    assert captcha.render_png("ACDEF") != data  # distortion differs every time


def test_image_view_and_refresh(client, db):
    response = client.get(reverse("consultation:captcha_refresh"))
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    image = client.get(body["image"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    captcha.verify(body["key"], "whatever")
    assert client.get(body["image"]).status_code == 404


def test_bypass_is_allowed_only_for_tests_debug_and_benchmark_databases():
    assert captcha.bypass_allowed_here(True, "daihoi", False)
    assert captcha.bypass_allowed_here(False, "daihoi", True)
    assert captcha.bypass_allowed_here(False, "daihoi_bench_intake", False)
    assert captcha.bypass_allowed_here(False, "/tmp/x/test_daihoi.sqlite3", False)
    assert not captcha.bypass_allowed_here(False, "daihoi", False)
    assert not captcha.bypass_allowed_here(False, "/srv/daihoi/data/daihoi.sqlite3", False)


def _import_captcha(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DATABASE_URL"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "daihoi.settings", "DAIHOI_DATA_DIR": str(tmp_path),
                  "DEBUG": "0", **env})  # fmt: skip
    clean.pop("REDIS_URL", None)
    code = (
        "import django; django.setup(); import daihoi.consultation.captcha as c; "
        "print(bool(c._BYPASS))"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def test_a_production_server_refuses_the_bypass(tmp_path):
    result = _import_captcha(tmp_path, DAIHOI_CAPTCHA_TEST_BYPASS="x" * 32)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DAIHOI_CAPTCHA_TEST_BYPASS" in result.stderr


def test_the_bypass_needs_a_long_value_and_works_on_a_bench_database(tmp_path):
    bench_db = f"sqlite:///{tmp_path}/daihoi_bench_x.sqlite3"
    short = _import_captcha(tmp_path, DAIHOI_CAPTCHA_TEST_BYPASS="short", DATABASE_URL=bench_db)
    assert short.returncode != 0 and "16" in short.stderr
    ok = _import_captcha(tmp_path, DAIHOI_CAPTCHA_TEST_BYPASS="y" * 32, DATABASE_URL=bench_db)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "True"
    off = _import_captcha(tmp_path)
    assert off.returncode == 0 and off.stdout.strip() == "False"


def test_no_bypass_in_this_test_process():
    # The switch is off unless set: a made-up long answer does not pass.
    if os.environ.get(captcha.BYPASS_ENV):
        pytest.skip("the switch is set for this run")
    assert not captcha.verify("", "Z" * 32)
