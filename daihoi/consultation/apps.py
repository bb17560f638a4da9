from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "daihoi.consultation"
    label = "consultation"
    verbose_name = _("Lấy ý kiến nhân dân vào dự thảo văn kiện")

    def ready(self):
        from daihoi.consultation.views import public
        from daihoi.core import hotpath

        hotpath.register("POST", public.INTAKE_PATH, public.receive_hot, when=public.fits)
