"""Load the example congress (Hanoi XVII) and its demo accounts. Loading twice changes nothing."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from daihoi.audit.services import record
from daihoi.core import example
from daihoi.core.models import Congress, Unit, User
from daihoi.core.services.users import assign_role, create_user


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    totp_secret: str | None = None


@dataclass
class ExampleResult:
    units_created: int = 0
    congress_created: bool = False
    logins: list[DemoLogin] = field(default_factory=list)


@transaction.atomic
def load_units() -> int:
    """Create the example units that are missing; never overwrite what staff changed."""
    created = 0
    by_name = {u.name: u for u in Unit.objects.all()}
    for name, acronym, kind, parent, aliases in example.UNITS:
        if name in by_name:
            continue
        unit = Unit.objects.create(
            name=name,
            acronym=acronym,
            kind=kind,
            parent=by_name.get(parent) if parent else None,
            aliases=aliases,
        )
        by_name[name] = unit
        created += 1
    if created:
        record(None, "example.units_loaded", data={"created": created})
    return created


@transaction.atomic
def load_congress() -> tuple[Congress, bool]:
    data = example.CONGRESS
    congress = Congress.objects.filter(
        party_organisation=data["party_organisation"], ordinal=data["ordinal"]
    ).first()
    if congress:
        return congress, False
    congress = Congress.objects.create(
        **data,
        convening_committee=Unit.objects.get(name=example.CITY),
        is_current=not Congress.objects.filter(is_current=True).exists(),
    )
    record(None, "congress.created", congress, {"title": congress.title})
    return congress, True


def _load_demo_logins(path: Path) -> dict[str, dict]:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {}


@transaction.atomic
def load_demo_users(logins_file: Path) -> list[DemoLogin]:
    """One account per role; passwords generated once and kept in the data folder (mode 600)."""
    saved = _load_demo_logins(logins_file)
    logins = []
    for username, full_name, role, unit_name, position in example.DEMO_USERS:
        entry = saved.get(username)
        user = User.objects.filter(username=username).first()
        if user is None or entry is None:
            password = entry["password"] if entry else "demo-" + secrets.token_urlsafe(8)
            if user is None:
                user = create_user(None, username, full_name, password, position=position)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            entry = {"password": password, "role": role}
        unit = Unit.objects.get(name=unit_name) if unit_name else None
        assign_role(None, user, role, unit)
        if user.requires_two_factor:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
            entry["totp_secret"] = _base32(device.bin_key)
        saved[username] = entry
        logins.append(DemoLogin(username, entry["password"], role, entry.get("totp_secret")))
    logins_file.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
    logins_file.chmod(0o600)
    return logins


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode("ascii").rstrip("=")


def load_example(logins_file: Path) -> ExampleResult:
    result = ExampleResult()
    result.units_created = load_units()
    _, result.congress_created = load_congress()
    result.logins = load_demo_users(logins_file)
    return result
