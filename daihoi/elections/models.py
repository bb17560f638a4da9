"""Elections with paper ballots (domain.md §6): what is elected, the list, the counting board,
rounds, ballots entered twice and the sealed result. Slim models; the rules live in
counting.py (pure) and services/."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.elections.rules import BallotKind, InvalidReason


class ElectedBody(models.TextChoices):
    EXECUTIVE_COMMITTEE = "executive_committee", _("Ban Chấp hành")
    HIGHER_OFFICIAL = "higher_official", _("Đại biểu chính thức đi dự đại hội cấp trên")
    HIGHER_RESERVE = "higher_reserve", _("Đại biểu dự khuyết đi dự đại hội cấp trên")
    STANDING_BOARD = "standing_board", _("Ban Thường vụ")
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    INSPECTION_COMMITTEE = "inspection_committee", _("Ủy ban Kiểm tra")


class Regulation(models.TextChoices):
    R244 = "244-QĐ/TW", _("Quyết định 244-QĐ/TW (2014)")
    R190 = "190-QĐ/TW", _("Quyết định 190-QĐ/TW (2024)")


class Election(models.Model):
    """One election at the congress: what is elected, how many, on which regulation."""

    congress = models.ForeignKey(
        "core.Congress", verbose_name=_("Đại hội"), on_delete=models.CASCADE,
        related_name="elections",
    )  # fmt: skip
    body = models.CharField(_("Bầu"), max_length=30, choices=ElectedBody.choices)
    title = models.CharField(_("Tên cuộc bầu cử"), max_length=300)
    seats = models.PositiveIntegerField(_("Số lượng bầu"))
    seats_decision = models.TextField(
        _("Biểu quyết số lượng"), blank=True,
        help_text=_("Kết quả biểu quyết giơ thẻ về số lượng cần bầu."),
    )  # fmt: skip
    regulation = models.CharField(
        _("Quy chế"), max_length=20, choices=Regulation.choices, default=Regulation.R190
    )
    ballot_kind = models.CharField(
        _("Loại phiếu"), max_length=10,
        choices=[(k.value, k.value) for k in BallotKind], default=BallotKind.STRIKE,
    )  # fmt: skip
    list_approved = models.TextField(_("Biểu quyết danh sách bầu cử"), blank=True)
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("Cuộc bầu cử")
        verbose_name_plural = _("Cuộc bầu cử")
        ordering = ["congress", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats__gte=1), name="election_seats_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """A name on the election list (danh sách bầu cử)."""

    election = models.ForeignKey(
        Election, verbose_name=_("Cuộc bầu cử"), on_delete=models.CASCADE,
        related_name="candidates",
    )  # fmt: skip
    full_name = models.CharField(_("Họ và tên"), max_length=150)
    delegate = models.ForeignKey(
        "delegates.Delegate", verbose_name=_("Đại biểu"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="candidacies",
    )  # fmt: skip
    from_floor = models.BooleanField(_("Đề cử tại đại hội"), default=False)
    floor_approval = models.TextField(
        _("Biểu quyết đưa vào danh sách"), blank=True,
        help_text=_("Người được đề cử tại đại hội cần trên 30% đại biểu có mặt tán thành."),
    )  # fmt: skip
    withdrawn = models.BooleanField(_("Rút khỏi danh sách"), default=False)
    withdrawal_reason = models.TextField(_("Lý do rút"), blank=True)

    class Meta:
        verbose_name = _("Người trong danh sách bầu cử")
        verbose_name_plural = _("Danh sách bầu cử")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "full_name"], name="candidate_unique_name_per_election"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class CountingBoardMember(models.Model):
    """Ban kiểm phiếu: official delegates not on the list, approved by show of hands."""

    congress = models.ForeignKey(
        "core.Congress", verbose_name=_("Đại hội"), on_delete=models.CASCADE,
        related_name="counting_board",
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Tài khoản"), on_delete=models.PROTECT,
        related_name="counting_board_seats",
    )  # fmt: skip
    delegate = models.ForeignKey(
        "delegates.Delegate", verbose_name=_("Đại biểu"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    is_head = models.BooleanField(_("Trưởng ban"), default=False)
    approval = models.TextField(_("Biểu quyết thông qua"), blank=True)

    class Meta:
        verbose_name = _("Thành viên Ban kiểm phiếu")
        verbose_name_plural = _("Ban kiểm phiếu")
        constraints = [
            models.UniqueConstraint(fields=["congress", "user"], name="board_unique_user"),
            models.UniqueConstraint(fields=["congress", "delegate"], name="board_unique_delegate"),
        ]

    def __str__(self) -> str:
        return str(self.delegate)


class RoundStatus(models.TextChoices):
    ENTRY = "entry", _("Đang nhập phiếu")
    COUNTED = "counted", _("Đã kiểm phiếu")
    SEALED = "sealed", _("Đã niêm phong")


class ElectionRound(models.Model):
    """Bầu lần thứ n: its list, seats to fill, the base (the same in every round)."""

    election = models.ForeignKey(
        Election, verbose_name=_("Cuộc bầu cử"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveIntegerField(_("Lần bầu"))
    seats = models.PositiveIntegerField(_("Số lượng còn phải bầu"))
    base = models.PositiveIntegerField(_("Cơ số tính quá nửa"))
    candidate_ids = models.JSONField(_("Danh sách theo thứ tự trên phiếu"), default=list)
    ballots_issued = models.PositiveIntegerField(_("Số phiếu phát ra"), null=True, blank=True)
    decision = models.TextField(_("Quyết định của đại hội"), blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.ENTRY
    )
    result = models.JSONField(_("Kết quả"), null=True, blank=True)
    seal = models.CharField(_("Mã niêm phong"), max_length=64, blank=True)
    sealed_at = models.DateTimeField(_("Niêm phong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lần bầu")
        verbose_name_plural = _("Lần bầu")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="round_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.election} — {self.number}"


class BallotEntry(models.Model):
    """One typing of one paper ballot. Every ballot is typed twice by two board members, blind;
    a ballot counts only once both typings agree (services/entry.py)."""

    round = models.ForeignKey(
        ElectionRound, verbose_name=_("Lần bầu"), on_delete=models.CASCADE,
        related_name="entries",
    )  # fmt: skip
    sheet = models.PositiveIntegerField(_("Số tờ trong tập phiếu"))
    typing = models.PositiveSmallIntegerField(_("Lần nhập"))  # 1 or 2
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người nhập"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # One character per candidate in round order: "1" kept/agree, "0" struck/disagree,
    # "-" neither box, "2" both boxes.
    marks = models.CharField(_("Ô đánh dấu"), max_length=1000, blank=True)
    board_reason = models.CharField(
        _("Lý do không hợp lệ do Ban kiểm phiếu ghi"), max_length=40, blank=True,
        choices=[(r.value, r.value) for r in InvalidReason],
    )  # fmt: skip
    note = models.TextField(_("Ghi chú (phiếu có nghi vấn)"), blank=True)
    created_at = models.DateTimeField(_("Nhập lúc"), auto_now_add=True)
    # A sheet whose two typings differ is typed again from an empty form; the earlier typings
    # stay, marked discarded, so the history of every difference is kept.
    discarded_at = models.DateTimeField(_("Hủy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lần nhập phiếu")
        verbose_name_plural = _("Các lần nhập phiếu")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "sheet", "typing"],
                condition=models.Q(discarded_at__isnull=True),
                name="entry_unique_sheet_typing",
            ),
            models.CheckConstraint(
                condition=models.Q(typing__in=[1, 2]), name="entry_typing_one_or_two"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.sheet}/{self.typing}"


class TotalsEntry(models.Model):
    """One typing of the totals of a hand-count tally sheet (the second entry mode of a round,
    for boards that count by hand): typed twice by two board members, blind, like a ballot."""

    round = models.ForeignKey(
        ElectionRound, verbose_name=_("Lần bầu"), on_delete=models.CASCADE,
        related_name="totals_entries",
    )  # fmt: skip
    typing = models.PositiveSmallIntegerField(_("Lần nhập"))  # 1 or 2
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người nhập"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    collected = models.PositiveIntegerField(_("Số phiếu thu vào"))
    # {InvalidReason code: count}, only reasons with a count above zero.
    invalid = models.JSONField(_("Phiếu không hợp lệ theo lý do"), default=dict)
    # One count per candidate, in round order (ElectionRound.candidate_ids).
    votes = models.JSONField(_("Số phiếu bầu từng người"), default=list)
    note = models.TextField(_("Ghi chú"), blank=True)
    created_at = models.DateTimeField(_("Nhập lúc"), auto_now_add=True)
    # Typings that differ are set aside, kept for the history, and typed again.
    discarded_at = models.DateTimeField(_("Hủy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lần nhập tổng số phiếu")
        verbose_name_plural = _("Các lần nhập tổng số phiếu")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "typing"],
                condition=models.Q(discarded_at__isnull=True),
                name="totals_unique_typing",
            ),
            models.CheckConstraint(
                condition=models.Q(typing__in=[1, 2]), name="totals_typing_one_or_two"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} tổng/{self.typing}"
