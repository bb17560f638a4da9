from __future__ import annotations

import factory

from daihoi.core.models import Role, RoleAssignment, Unit, UnitKind, User

PASSWORD = "mat-khau-thu-nghiem-2020"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Quận ủy Thử nghiệm số {n}")
    kind = UnitKind.DISTRICT


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
