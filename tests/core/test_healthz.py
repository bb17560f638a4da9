import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True and body["database"]["vendor"] in {"sqlite", "postgresql"}
    assert body["cache"]["ok"] is True
    assert body["cache"]["backend"] in {"LocMemCache", "RedisCache"}


def test_healthz_reports_a_broken_cache(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    # Django's test signals rebuild the cache handlers when CACHES changes.
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"]["ok"] is False


def test_security_headers(client):
    response = client.get("/tai-khoan/dang-nhap/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
