from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "daihoi.core"
    label = "core"
    verbose_name = _("Đại hội, đơn vị và người dùng")

    def ready(self) -> None:
        from daihoi.core import signals  # noqa: F401  (connects the receivers)
