"""Input boundary of the consultation: the forms read and tidy; the services decide and write.

The public comment form's checks are `services.intake.clean`, shared with the JSON API, so a
comment is judged the same whichever way it comes.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from daihoi.consultation.services import intake
from daihoi.vietnamese import format_number


def _section_choices(sections) -> list[tuple[str, str]]:
    choices = [("", gettext("Toàn văn dự thảo"))]
    for section in sections:
        label = f"{section.number}. {section.title}" if section.number else section.title
        choices.append((str(section.pk), label[:120]))
    return choices


class CommentForm(forms.Form):
    """Gửi góp ý: name*, phone, title*, content*, the section and paragraph, Mã xác nhận."""

    name = forms.CharField(
        label=_("Họ và tên"),
        widget=forms.TextInput(
            attrs={"autocomplete": "name", "maxlength": intake.NAME_MAX, "required": True}
        ),
    )
    phone = forms.CharField(
        label=_("Điện thoại"),
        required=False,
        help_text=_("Không bắt buộc. Di động 10 số hoặc máy bàn có mã vùng."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "tel",
                "inputmode": "tel",
                "type": "tel",
                "maxlength": 30,
            }  # fmt: skip
        ),
    )
    title = forms.CharField(
        label=_("Tiêu đề"),
        widget=forms.TextInput(attrs={"maxlength": intake.TITLE_MAX, "required": True}),
    )
    content = forms.CharField(
        label=_("Nội dung góp ý"),
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": intake.CONTENT_MAX, "required": True}),
    )
    section = forms.CharField(
        label=_("Góp ý cho mục"), required=False, widget=forms.Select(choices=[])
    )
    paragraph = forms.CharField(
        label=_("Đoạn số"),
        required=False,
        help_text=_("Để trống nếu góp ý cho cả mục."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 6, "size": 6}),
    )
    captcha_key = forms.CharField(required=False, widget=forms.HiddenInput)
    captcha = forms.CharField(
        label=_("Mã xác nhận"),
        help_text=_("Nhập các ký tự trong ảnh (không phân biệt chữ hoa, chữ thường)."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "maxlength": 10,
                "required": True,
            }  # fmt: skip
        ),
    )
    # Honeypot: hidden from people (off-screen, aria-hidden, no tab stop); robots fill it.
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].help_text = gettext("Tối đa %(limit)s ký tự.") % {
            "limit": format_number(intake.CONTENT_MAX)
        }
        # Required (the "*" and the browser's hint) with the service's own words when empty.
        for name, message in intake.required_messages().items():
            self.fields[name].error_messages["required"] = message
        if sections is None:
            del self.fields["section"], self.fields["paragraph"]
        else:
            # A callable: the sections are read only if the form is rendered (not on a POST
            # that succeeds).
            self.fields["section"].widget.choices = lambda: _section_choices(sections)
        self.comment_data: intake.CommentData | None = None

    def clean(self):
        data = super().clean()
        try:
            raw = intake.CommentData(
                name=data.get("name", ""), title=data.get("title", ""),
                content=data.get("content", ""), phone=data.get("phone", ""),
                section_id=intake.normalise_choice(data.get("section")),
                paragraph_number=intake.normalise_choice(data.get("paragraph")),
            )  # fmt: skip
            self.comment_data = intake.clean(raw)
        except intake.CommentInvalid as exc:
            self.add_service_errors(exc.errors)
        return data

    def add_service_errors(self, errors: dict[str, str]) -> None:
        """Add the service's errors, except on a field that already shows one."""
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field if field in self.fields else None, message)


class DraftCreateForm(forms.Form):
    title = forms.CharField(label=_("Tên dự thảo"), max_length=300)
    file = forms.FileField(
        label=_("Tệp dự thảo (DOCX)"),
        help_text=_(
            "Tiêu đề theo kiểu Heading hoặc đánh số «Phần thứ nhất», «I.», «1.», «1.1.», «a)»."
        ),  # fmt: skip
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )


class VersionUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp phiên bản mới (DOCX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    summary = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Nội dung"),
        help_text=_("Mỗi đoạn cách nhau một dòng trống."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
