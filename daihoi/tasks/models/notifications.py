from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """In-app notice for one user (the twin of the daily e-mail digest)."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="notifications")
    task = models.ForeignKey(
        "tasks.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30)
    text = models.CharField(_("Nội dung"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Thông báo")
        verbose_name_plural = _("Thông báo")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text
