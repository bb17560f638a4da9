from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "daihoi.bodies"
    label = "bodies"
    verbose_name = _("Các cơ quan giúp việc đại hội và biểu quyết")
