"""Receiving a citizen's comment (tiếp nhận góp ý): one function for the form and the API.

The checks, cheapest first: the fields (NFC, lengths, the phone number in a Vietnamese format,
no control characters) — a bad form still counts against its address —, then the per-address
and per-phone rate limits (one round trip to Redis), the honeypot, the captcha, the section and
paragraph (a per-worker index: stored sections never change). Then one INSERT … SELECT in
autocommit that writes the comment only if its draft version is published and open (or its
article published): PostgreSQL has flushed it to its log (synchronous_commit) before
`submit_comment` returns, so the reference number the sender sees is never for a comment that a
crash could lose.

HTML is kept as the person typed it and is escaped wherever it is shown. Spam heuristics only
set `spam_flag` for the moderators; they never refuse a comment. Intake writes no audit row per
comment: the comment row itself is append-only (never deleted, moderation hides it), and the
chain's serialised append would cap the intake rate; staff actions on comments are audited.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connections, router
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daihoi.consultation import captcha
from daihoi.consultation.models import Article, Comment, DraftVersion, Paragraph, Section
from daihoi.core.db import fetch_one
from daihoi.core.services.errors import InvalidInput
from daihoi.vietnamese import format_number, nfc

NAME_MAX = 120
PHONE_MAX = 20
TITLE_MAX = 200
CONTENT_MAX = 5000
CONTENT_MIN = 2
# Crockford's base 32: no I, L, O, U, so a reference read over the phone is not misheard.
_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|info|xyz|top|vn)\b", re.I)
_REPEAT = re.compile(r"(.)\1{9,}", re.S)
# Mobile: 10 digits from 03, 05, 07, 08, 09 (since the 2018 renumbering); landline: 02 and
# 9 more digits (area code included). +84 / 84 stands for the leading 0.
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-]+$")


class CommentInvalid(InvalidInput):
    """One or more fields are wrong; `errors` maps each field to its Vietnamese message."""

    code = "comment_invalid"

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class RateLimited(InvalidInput):
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class TargetClosed(InvalidInput):
    code = "comments_closed"


@dataclass(frozen=True)
class CommentData:
    name: str
    title: str
    content: str
    phone: str = ""
    section_id: int | None = None
    paragraph_number: int | None = None


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def _limit(name: str, default: str) -> Limit:
    """ "N/S": at most N comments every S seconds. Setting first, then the environment."""
    raw = str(getattr(settings, name, "") or os.environ.get(name, "") or default)
    count, _sep, seconds = raw.partition("/")
    try:
        return Limit(max(1, int(count)), max(1, int(seconds or 60)))
    except ValueError:
        return Limit(*map(int, default.split("/")))


def address_limit() -> Limit:
    # Generous: a whole ward office or a mobile carrier's NAT may share one address.
    return _limit("DAIHOI_COMMENT_RATE_ADDRESS", "20/600")


def phone_limit() -> Limit:
    return _limit("DAIHOI_COMMENT_RATE_PHONE", "5/600")


# --- validation ---------------------------------------------------------------------------------


def normalise_phone(raw: str) -> str:
    """ "0912 345 678", "+84 912.345.678", "(024) 3825 1234" → digits from 0; "" if empty;
    InvalidInput if it is no Vietnamese phone number."""
    raw = nfc(raw or "").strip()
    if not raw:
        return ""
    wrong = InvalidInput(
        _("Số điện thoại không đúng: di động 10 số (ví dụ 0912 345 678) hoặc máy bàn có mã "
          "vùng (ví dụ 024 3825 1234)."), code="bad_phone",
    )  # fmt: skip
    if len(raw) > 30 or not _PHONE_CHARS.match(raw):
        raise wrong
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") or (digits.startswith("84") and len(digits) in (11, 12)):
        if not digits.startswith("84"):
            raise wrong
        digits = "0" + digits[2:]
    if not (_MOBILE.match(digits) or _LANDLINE.match(digits)):
        raise wrong
    return digits


# Lazy: translated only when an error message is written.
_LABELS = {"name": gettext_lazy("Họ và tên"), "title": gettext_lazy("Tiêu đề"),
           "content": gettext_lazy("Nội dung")}  # fmt: skip


def required_messages() -> dict[str, str]:
    """What `clean` says about each required field left empty (the form shows the same)."""
    return {
        f: _("Cần nhập %(label)s.") % {"label": str(label).lower()} for f, label in _LABELS.items()
    }


def _text(value, limit: int, field: str, label: str, errors: dict, multiline: bool = False):
    text = nfc(str(value or ""))
    if _CONTROL.search(text):
        errors[field] = _("%(label)s chứa ký tự không hợp lệ.") % {"label": label}
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    if not text:
        errors[field] = required_messages()[field]
    elif len(text) > limit:
        errors[field] = _("%(label)s dài quá %(limit)s ký tự.") % {
            "label": label,
            "limit": format_number(limit),
        }
    return text


def clean(data: CommentData) -> CommentData:
    """The fields in NFC with their limits checked; CommentInvalid lists what is wrong."""
    errors: dict[str, str] = {}
    name = _text(data.name, NAME_MAX, "name", _LABELS["name"], errors)
    title = _text(data.title, TITLE_MAX, "title", _LABELS["title"], errors)
    content = _text(data.content, CONTENT_MAX, "content", _LABELS["content"], errors, True)
    if "content" not in errors and len(content) < CONTENT_MIN:
        errors["content"] = _("Nội dung góp ý quá ngắn.")
    phone = ""
    try:
        phone = normalise_phone(str(data.phone or ""))
    except InvalidInput as exc:
        errors["phone"] = exc.message
    if errors:
        raise CommentInvalid(errors)
    return CommentData(name, title, content, phone, data.section_id, data.paragraph_number)


def looks_like_spam(content: str, title: str = "") -> bool:
    """For the moderators' queue only: several links, or a run of one character ten times."""
    text = f"{title}\n{content}"
    return len(_LINK.findall(text)) >= 2 or bool(_REPEAT.search(text))


# --- rate limits --------------------------------------------------------------------------------


def _window_key(key: str, limit: Limit, now: int) -> tuple[str, int]:
    window = now // limit.seconds
    return f"gy:rl:{key}:{limit.seconds}:{window}", (window + 1) * limit.seconds - now


def _hits(keys: list[tuple[str, Limit]]) -> list[int]:
    """Count one try against each (key, limit) in the current fixed window; for each, the
    seconds to wait if over the limit, else 0. The counters live in the cache (Redis with
    REDIS_URL), so every worker shares them; with Redis all keys cost one round trip."""
    now = int(time.time())
    windows = [(*_window_key(key, limit, now), limit) for key, limit in keys]
    client = _redis_client()
    if client is not None:
        names = [cache.make_key(cache_key) for cache_key, _left, _limit in windows]
        ttls = [limit.seconds + 1 for _key, _left, limit in windows]
        counts = _count(client, names, ttls)
    else:
        counts = [_incr(cache_key, limit.seconds + 1) for cache_key, _left, limit in windows]
    return [
        max(1, left) if count > limit.count else 0
        for count, (_key, left, limit) in zip(counts, windows, strict=True)
    ]


# INCR every key, setting its expiry on the first hit: one command, one round trip, atomic.
_COUNT_LUA = """
local counts = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  counts[i] = n
end
return counts
"""
_script = None


def _count(client, keys: list[str], ttls: list[int]) -> list[int]:
    global _script
    if _script is None:
        _script = client.register_script(_COUNT_LUA)  # EVALSHA, EVAL once if Redis lost it
    return [int(n) for n in _script(keys=keys, args=ttls, client=client)]


def _hit(key: str, limit: Limit) -> int:
    return _hits([(key, limit)])[0]


def _incr(key: str, ttl: int) -> int:
    if cache.add(key, 1, ttl):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, ttl)
        return 1


def _redis_client():
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        return None
    return backend.get_client(write=True)


def _refuse_flood(wait: int) -> RateLimited:
    minutes = max(1, (wait + 59) // 60)
    return RateLimited(
        _("Quý vị đã gửi quá nhiều góp ý trong thời gian ngắn. Xin vui lòng thử lại sau "
          "%(minutes)s phút.") % {"minutes": minutes}, retry_after=wait,
    )  # fmt: skip


def check_address(client_ip: str | None) -> None:
    """The per-address limit; counted before anything else so a flood costs one cache hit."""
    wait = _hit(f"ip:{client_ip or '-'}", address_limit())
    if wait:
        raise _refuse_flood(wait)


# --- the target ---------------------------------------------------------------------------------

# {draft id: {section id: (version id, {paragraph number: paragraph id})}} for every version of
# a draft. Sections and paragraphs never change once stored (a new upload is a new version), so
# each worker may keep this; a section it does not know yet makes it read the draft again.
_SECTIONS: dict[int, dict[int, tuple[int, dict[int, int]]]] = {}
_SECTIONS_MAX_DRAFTS = 64


def _read_sections(draft_id: int) -> dict[int, tuple[int, dict[int, int]]]:
    index: dict[int, tuple[int, dict[int, int]]] = {
        pk: (version_id, {})
        for pk, version_id in Section.objects.filter(version__draft_id=draft_id).values_list(
            "pk", "version_id"
        )
    }
    rows = Paragraph.objects.filter(section__version__draft_id=draft_id).values_list(
        "section_id", "number", "pk"
    )
    for section_id, number, pk in rows:
        index[section_id][1][number] = pk
    if len(_SECTIONS) >= _SECTIONS_MAX_DRAFTS:
        _SECTIONS.clear()
    _SECTIONS[draft_id] = index
    return index


def forget_sections() -> None:
    """Drop the per-worker index (tests that reuse ids after a rollback)."""
    _SECTIONS.clear()


def _section_target(draft_id: int, data: CommentData) -> tuple[int | None, int | None, int | None]:
    """(version id, section id, paragraph id) named by the form; (None, None, None) for the
    whole draft (the open version is then found by the INSERT itself)."""
    if data.section_id is None:
        return None, None, None
    index = _SECTIONS.get(draft_id)
    if index is None or data.section_id not in index:
        index = _read_sections(draft_id)
    if data.section_id not in index:
        raise CommentInvalid({"section": _("Mục được chọn không thuộc dự thảo này.")})
    version_id, paragraphs = index[data.section_id]
    if data.paragraph_number is None:
        return version_id, data.section_id, None
    paragraph_id = paragraphs.get(data.paragraph_number)
    if paragraph_id is None:
        raise CommentInvalid({"paragraph": _("Đoạn được chọn không có trong mục này.")})
    return version_id, data.section_id, paragraph_id


# Values written as the driver takes them; other fields go through Django's preparation.
_PASS_THROUGH = frozenset({"reference", "name", "phone", "title", "content", "spam_flag",
                           "section_id", "paragraph_id", "article_id"})  # fmt: skip


@lru_cache(maxsize=16)
def _statement(alias: str, kind: str, with_version: bool) -> tuple[str, tuple]:
    """The INSERT … SELECT for a target kind ("draft" or "article"), built once per worker:
    its SQL and one slot per parameter, either the attname to fill in or a fixed default."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    names, placeholders, slots = [], [], []
    for field in Comment._meta.concrete_fields:
        if field.primary_key:
            continue
        names.append(quote(field.column))
        if field.attname == "version_id" and kind == "draft":
            placeholders.append("v.id")  # the open version, chosen by the SELECT
            continue
        placeholders.append("%s")
        if field.attname in _PASS_THROUGH:
            slots.append(("raw", field.attname))
        elif field.attname in ("created_at", "client_ip"):
            slots.append(("prep", field))
        else:
            # A field the form does not fill gets its model default, the way the ORM writes it
            # (so a field added to Comment later needs nothing here).
            slots.append(("fixed", field.get_db_prep_save(field.get_default(), connection)))
    if kind == "draft":
        source = (
            f"FROM {quote(DraftVersion._meta.db_table)} v WHERE v.draft_id = %s "
            "AND v.published_at IS NOT NULL AND v.comments_open"
        )
        source += " AND v.id = %s" if with_version else ""
        source += " ORDER BY v.id DESC LIMIT 1"
    else:
        source = (
            f"FROM {quote(Article._meta.db_table)} a WHERE a.id = %s AND a.published_at IS NOT NULL"
        )
    sql = (
        f"INSERT INTO {quote(Comment._meta.db_table)} ({', '.join(names)}) "
        f"SELECT {', '.join(placeholders)} {source} RETURNING id, version_id"
    )
    return sql, tuple(slots)


def _insert(values: dict, *, draft_id=None, version_id=None, article_id=None):
    """One INSERT … SELECT that stores the comment only if its target takes comments: the
    check and the write are one statement, one round trip, committed on return (autocommit).
    Returns (id, version id), or None when the draft is closed or the article unpublished."""
    alias = router.db_for_write(Comment)
    connection = connections[alias]
    kind = "article" if article_id is not None else "draft"
    sql, slots = _statement(alias, kind, version_id is not None)
    params = []
    for how, what in slots:
        if how == "raw":
            params.append(values[what])
        elif how == "prep":
            params.append(what.get_db_prep_save(values[what.attname], connection))
        else:
            params.append(what)
    if kind == "draft":
        params.append(draft_id)
        if version_id is not None:
            params.append(version_id)
    else:
        params.append(article_id)
    return fetch_one(sql, params, connection)


# --- the use case -------------------------------------------------------------------------------


def new_reference() -> str:
    """ "GY-" and ten characters of base 32 (50 random bits): unguessable, easy to read out."""
    value = secrets.randbits(50)
    chars = "".join(_REF_ALPHABET[(value >> (5 * i)) & 31] for i in range(10))
    return f"GY-{chars[:5]}-{chars[5:]}"


def _check_limits(client_ip: str | None, phone: str) -> None:
    """The per-address and the per-phone limit, counted in one round trip to the cache."""
    keys = [(f"ip:{client_ip or '-'}", address_limit())]
    if phone:
        keys.append((f"tel:{phone}", phone_limit()))
    waits = _hits(keys)
    if any(waits):
        raise _refuse_flood(max(waits))


def submit_comment(
    data: CommentData,
    *,
    client_ip: str | None,
    captcha_key: str,
    captcha_answer: str,
    honeypot: str = "",
    draft_id: int | None = None,
    article_id: int | None = None,
) -> Comment:
    """Check, store durably, and return the comment; its `reference` is the acknowledgement.

    Raises RateLimited (with `retry_after`), CommentInvalid (field → message), TargetClosed or
    InvalidInput (captcha, honeypot). Nothing is stored unless it returns. Call it outside any
    transaction (the views and the API do): the row is committed when it returns."""
    if (draft_id is None) == (article_id is None):
        raise InvalidInput(_("Góp ý phải gửi cho một dự thảo hoặc một tin bài."), code="no_target")
    try:
        data = clean(data)
    except CommentInvalid:
        check_address(client_ip)  # a flood of bad forms is limited too
        raise
    _check_limits(client_ip, data.phone)
    if honeypot:
        # Filled only by robots (the field is hidden from people and screen readers).
        raise InvalidInput(_("Không gửi được góp ý."), code="honeypot")
    if not captcha.verify(captcha_key, captcha_answer):
        raise CommentInvalid(
            {"captcha": _("Mã xác nhận không đúng hoặc đã hết hạn; xin nhập mã mới.")}
        )
    version_id = section_id = paragraph_id = None
    if article_id is None:
        version_id, section_id, paragraph_id = _section_target(draft_id, data)
    values = {
        "name": data.name, "phone": data.phone, "title": data.title, "content": data.content,
        "created_at": timezone.now(), "client_ip": client_ip or None,
        "spam_flag": looks_like_spam(data.content, data.title), "section_id": section_id,
        "paragraph_id": paragraph_id, "article_id": article_id,
    }  # fmt: skip
    for _attempt in range(3):
        values["reference"] = new_reference()
        try:
            row = _insert(values, draft_id=draft_id, version_id=version_id, article_id=article_id)
        except IntegrityError:
            if Comment.objects.filter(reference=values["reference"]).exists():
                continue  # a one-in-a-quadrillion clash of references: draw again
            raise
        if row is None:
            if article_id is not None:
                raise TargetClosed(_("Tin bài này không nhận góp ý."))
            raise TargetClosed(_("Dự thảo này hiện không nhận góp ý."))
        return Comment(pk=row[0], version_id=row[1], **values)
    raise InvalidInput(_("Không cấp được số tiếp nhận; xin gửi lại."), code="no_reference")


def client_address(meta) -> str | None:
    """REMOTE_ADDR only: the project trusts no forwarding header (a reverse proxy in front must
    set REMOTE_ADDR itself, e.g. gunicorn's --forwarded-allow-ips)."""
    address = (meta.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def normalise_choice(value) -> int | None:
    """A form or JSON value for a section id or paragraph number: a positive int or None."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise CommentInvalid({"section": _("Mục hoặc đoạn được chọn không hợp lệ.")})
    return int(text) or None
