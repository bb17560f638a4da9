from __future__ import annotations

import factory

from daihoi.core.models import Congress, Role, RoleAssignment, Unit, UnitKind, User

PASSWORD = "mat-khau-thu-nghiem-2020"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Quận ủy Thử nghiệm số {n}")
    kind = UnitKind.DISTRICT


class CongressFactory(factory.django.DjangoModelFactory):
    """Hanoi's congress by default; `ordinal` moves the term by five years per congress."""

    class Meta:
        model = Congress

    party_organisation = "Đảng bộ thành phố Hà Nội"
    level = "province"
    ordinal = 17
    term_start = factory.LazyAttribute(lambda c: 2020 + 5 * (c.ordinal - 17))
    term_end = factory.LazyAttribute(lambda c: c.term_start + 5)
    convening_committee = factory.SubFactory(UnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user_with_role(role: str, unit: Unit | None = None, **fields) -> User:
    user = UserFactory(**fields)
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    if role == Role.SYSTEM_ADMIN:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        user.refresh_from_db()
    return user


def sign_in(client, user):
    """Sign in; accounts that need a second factor get a verified TOTP device in the session."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.requires_two_factor:
        device = TOTPDevice.objects.create(user=user, name="thu", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def forget_cached(*prefixes: str) -> None:
    """Delete the cache keys that start with these prefixes. Not cache.clear(): with Redis that
    flushes the whole database, which the other test worker shares (its sessions included)."""
    from django.core.cache import cache

    store = getattr(cache, "_cache", None)
    if not hasattr(store, "get_client"):  # the local-memory cache: this process's own
        cache.clear()
        return
    client = store.get_client(write=True)
    for prefix in prefixes:
        for key in client.scan_iter(match=cache.make_key(prefix) + "*"):
            client.delete(key)
