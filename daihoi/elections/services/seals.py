"""The audit check for elections: every round the audit chain says was sealed must still exist,
still be sealed, and recount to its seal."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from daihoi.audit.models import AuditEntry
from daihoi.elections.models import ElectionRound, RoundStatus


def sealed_round_problems() -> list[str]:
    from daihoi.elections.services.counting import verify_seal

    chained = set(
        AuditEntry.objects.filter(
            action="election.round_sealed", target_type=ElectionRound._meta.label_lower
        ).values_list("target_id", flat=True)
    )
    rounds = {
        str(r.pk): r
        for r in ElectionRound.objects.filter(
            Q(status=RoundStatus.SEALED) | Q(pk__in=[int(pk) for pk in chained if pk.isdigit()])
        ).select_related("election")
    }
    problems = [
        _("Lần bầu số %(pk)s đã niêm phong theo nhật ký nhưng không còn trong dữ liệu.")
        % {"pk": pk}
        for pk in sorted(chained - set(rounds), key=lambda pk: (len(pk), pk))
    ]
    for _pk, round_ in sorted(rounds.items(), key=lambda item: item[1].pk):
        check = verify_seal(round_)
        if not check.ok:
            problems.append(
                _("Kết quả niêm phong của «%(election)s», lần bầu %(number)d: %(problem)s")
                % {"election": round_.election.title, "number": round_.number,
                   "problem": check.message}
            )  # fmt: skip
    return problems
