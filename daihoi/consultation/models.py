"""Public consultation on the draft documents (lấy ý kiến nhân dân vào dự thảo văn kiện).

A Draft has numbered versions; a published version is split into sections and paragraphs with
stable numbers, which comments point at. News articles carry the same comment form. Comments are
moderated (hidden with a reason, never deleted) and synthesised per section: duplicate groups,
campaigns, "general agreement", topic groups that staff merge, split and annotate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.core.models import Congress


class Draft(models.Model):
    """Dự thảo văn kiện, e.g. the draft political report."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("Đại hội"), on_delete=models.PROTECT, related_name="drafts"
    )
    title = models.CharField(_("Tên dự thảo"), max_length=300)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người tạo"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("Dự thảo văn kiện")
        verbose_name_plural = _("Dự thảo văn kiện")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class DraftVersion(models.Model):
    """One uploaded DOCX of a draft; the public reads the latest published version."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("Dự thảo"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("Lần"))
    source = models.FileField(_("Tệp DOCX"), upload_to="consultation/drafts/%Y/")
    uploaded_at = models.DateTimeField(_("Tải lên lúc"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người tải lên"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("Công bố lúc"), null=True, blank=True)
    comments_open = models.BooleanField(_("Đang nhận góp ý"), default=False)

    class Meta:
        verbose_name = _("Phiên bản dự thảo")
        verbose_name_plural = _("Phiên bản dự thảo")
        ordering = ["draft", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="draft_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.draft} ({self.number})"


class Section(models.Model):
    """A heading of the draft and the text under it; `number` is as shown ("I", "1", "1.2")."""

    version = models.ForeignKey(
        DraftVersion, verbose_name=_("Phiên bản"), on_delete=models.CASCADE,
        related_name="sections",
    )  # fmt: skip
    position = models.PositiveIntegerField(_("Thứ tự"))
    number = models.CharField(_("Số mục"), max_length=40, blank=True)
    title = models.CharField(_("Tiêu đề"), max_length=500)
    level = models.PositiveSmallIntegerField(_("Cấp"), default=1)

    class Meta:
        verbose_name = _("Mục của dự thảo")
        verbose_name_plural = _("Mục của dự thảo")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="section_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Paragraph(models.Model):
    """Đoạn: numbered from 1 within its section, so "mục 2, đoạn 3" stays the same reference."""

    section = models.ForeignKey(
        Section, verbose_name=_("Mục"), on_delete=models.CASCADE, related_name="paragraphs"
    )
    number = models.PositiveIntegerField(_("Đoạn số"))
    text = models.TextField(_("Nội dung"))

    class Meta:
        verbose_name = _("Đoạn")
        verbose_name_plural = _("Đoạn")
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="paragraph_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.section.number}.{self.number}"


class Article(models.Model):
    """Tin bài: a public news article with the same comment form under it."""

    title = models.CharField(_("Tiêu đề"), max_length=300)
    summary = models.TextField(_("Tóm tắt"), blank=True)
    body = models.TextField(_("Nội dung"))
    published_at = models.DateTimeField(_("Đăng lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người đăng"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("Tin bài")
        verbose_name_plural = _("Tin bài")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CommentStatus(models.TextChoices):
    RECEIVED = "received", _("Mới nhận")
    ACCEPTED = "accepted", _("Đã duyệt")
    HIDDEN = "hidden", _("Đã ẩn")


class TopicGroup(models.Model):
    """Nhóm ý kiến: a topic group of one section (or of an article) found by the synthesis,
    which staff may rename, merge, split and annotate."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("Dự thảo"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="groups",
    )  # fmt: skip
    section = models.ForeignKey(
        Section, verbose_name=_("Mục"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="groups",
    )  # fmt: skip
    label = models.CharField(_("Tên nhóm"), max_length=300, blank=True)
    terms = models.JSONField(_("Từ khóa"), default=list)
    representative = models.ForeignKey(
        "Comment", verbose_name=_("Ý kiến tiêu biểu"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    note = models.TextField(_("Ghi chú tổng hợp"), blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Nhóm ý kiến")
        verbose_name_plural = _("Nhóm ý kiến")
        ordering = ["section", "pk"]

    def __str__(self) -> str:
        return self.label or ", ".join(self.terms[:3])


class Comment(models.Model):
    """Ý kiến góp ý. Committed before the sender sees the reference number; never deleted."""

    reference = models.CharField(_("Số tiếp nhận"), max_length=24, unique=True)
    version = models.ForeignKey(
        DraftVersion, verbose_name=_("Dự thảo"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="comments",
    )  # fmt: skip
    section = models.ForeignKey(
        Section, verbose_name=_("Mục"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="comments",
    )  # fmt: skip
    paragraph = models.ForeignKey(
        Paragraph, verbose_name=_("Đoạn"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="comments",
    )  # fmt: skip
    article = models.ForeignKey(
        Article, verbose_name=_("Tin bài"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="comments",
    )  # fmt: skip
    name = models.CharField(_("Họ và tên"), max_length=120)
    phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)
    title = models.CharField(_("Tiêu đề"), max_length=200)
    content = models.TextField(_("Nội dung"))
    created_at = models.DateTimeField(_("Gửi lúc"), db_index=True)
    client_ip = models.GenericIPAddressField(_("Địa chỉ gửi"), null=True, blank=True)

    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=CommentStatus.choices,
        default=CommentStatus.RECEIVED, db_index=True,
    )  # fmt: skip
    spam_flag = models.BooleanField(_("Nghi thư rác"), default=False)
    abuse_flag = models.BooleanField(_("Nghi lời lẽ không phù hợp"), default=False)
    hidden_reason = models.TextField(_("Lý do ẩn"), blank=True)
    moderated_at = models.DateTimeField(_("Kiểm duyệt lúc"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người kiểm duyệt"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    # Written by the synthesis (staff may move a comment to another group).
    group = models.ForeignKey(
        TopicGroup, verbose_name=_("Nhóm ý kiến"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="comments",
    )  # fmt: skip
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("Trùng với"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="duplicates",
    )  # fmt: skip
    in_campaign = models.BooleanField(_("Thuộc đợt gửi hàng loạt"), default=False)
    is_agreement = models.BooleanField(_("Ý kiến nhất trí chung"), default=False)

    class Meta:
        verbose_name = _("Ý kiến góp ý")
        verbose_name_plural = _("Ý kiến góp ý")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["section", "status"], name="comment_section_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__isnull=False) | models.Q(article__isnull=False),
                name="comment_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class SynthesisState(models.Model):
    """The engine's saved model of one section (vocabulary, SVD, centroids, LSH tables), so new
    comments join the existing groups without recomputing everything."""

    section = models.OneToOneField(
        Section, verbose_name=_("Mục"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="synthesis_state",
    )  # fmt: skip
    article = models.OneToOneField(
        Article, verbose_name=_("Tin bài"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="synthesis_state",
    )  # fmt: skip
    data = models.BinaryField(_("Dữ liệu mô hình"))
    comment_count = models.PositiveIntegerField(_("Số ý kiến đã tổng hợp"), default=0)
    last_comment_id = models.BigIntegerField(_("Ý kiến cuối đã tổng hợp"), default=0)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Trạng thái tổng hợp")
        verbose_name_plural = _("Trạng thái tổng hợp")

    def __str__(self) -> str:
        return str(self.section or self.article)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class SynthesisJob(models.Model):
    """A background synthesis of a draft (all sections, or only the new comments)."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("Dự thảo"), on_delete=models.CASCADE, related_name="jobs"
    )
    incremental = models.BooleanField(_("Chỉ ý kiến mới"), default=False)
    seed = models.IntegerField(_("Hạt giống ngẫu nhiên"), default=0)
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("Tiến độ (%)"), default=0)
    message = models.TextField(_("Thông báo"), blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("Bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người yêu cầu"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("Lượt tổng hợp")
        verbose_name_plural = _("Lượt tổng hợp")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.draft} — {self.get_status_display()}"
