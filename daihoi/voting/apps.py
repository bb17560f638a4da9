from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "daihoi.voting"
    label = "voting"
    verbose_name = _("Biểu quyết điện tử công khai")

    def ready(self):
        from daihoi.audit.checks import register
        from daihoi.core import hotpath
        from daihoi.voting import hot
        from daihoi.voting.checks import sealed_vote_problems

        register(sealed_vote_problems)
        hotpath.register("POST", hot.CAST_PATH, hot.cast, when=hot.wants_json)
        user_logged_in.connect(_signed_in, dispatch_uid="voting.remember_sign_in")


def _signed_in(sender, request, user, **kwargs):
    from daihoi.voting import hot

    if request is not None and hasattr(request, "session"):
        hot.remember_sign_in(request.session, user)
