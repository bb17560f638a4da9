from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "daihoi.elections"
    label = "elections"
    verbose_name = _("Bầu cử")

    def ready(self):
        # The permissions live in permissions.py: rules.py here holds the counting rules, which
        # django-rules' autodiscovery imports too but which registers nothing.
        from daihoi.audit.checks import register
        from daihoi.elections import permissions  # noqa: F401
        from daihoi.elections.services.seals import sealed_round_problems

        register(sealed_round_problems)
