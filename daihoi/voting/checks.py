"""`daihoi audit verify` for open votes: the recorded votes of every closed vote still hash to
the digest sealed into the audit chain when it closed (see services.casts_digest)."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from daihoi.audit.models import AuditEntry
from daihoi.voting.models import OpenVote


def sealed_vote_problems() -> list[str]:
    from daihoi.voting.services import casts_digest

    seals = AuditEntry.objects.filter(
        action="vote.close", target_type=OpenVote._meta.label_lower
    ).values_list("target_id", "data")
    votes = OpenVote.objects.in_bulk([int(pk) for pk, _data in seals if pk.isdigit()])
    problems = []
    for pk, data in seals:
        sealed = json.loads(data).get("casts")
        vote = votes.get(int(pk)) if pk.isdigit() else None
        if vote is None:
            problems.append(
                _("Biểu quyết số %(pk)s đã kết thúc theo nhật ký nhưng không còn trong dữ liệu.")
                % {"pk": pk}
            )
        elif sealed is not None and casts_digest(vote) != sealed:
            problems.append(
                _("Phiếu của biểu quyết «%(motion)s» đã bị thay đổi sau khi kết thúc.")
                % {"motion": vote.motion[:80]}
            )
    return problems
