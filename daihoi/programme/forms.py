"""Forms for the programme pages: the input boundary; the services clean, check and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from daihoi.delegates.models import Session
from daihoi.documents.models import Document
from daihoi.programme.models import ItemKind
from daihoi.programme.services import ItemData


class ItemForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Phiên họp"), queryset=Session.objects.none())
    starts_at = forms.TimeField(
        label=_("Thời gian (giờ:phút)"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )  # fmt: skip
    title = forms.CharField(label=_("Nội dung"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại nội dung"), choices=ItemKind.choices)
    presenter = forms.CharField(
        label=_("Người trình bày"), max_length=200, required=False,
        help_text=_("Để trống: chủ tọa điều hành."),
    )  # fmt: skip
    document = forms.ModelChoiceField(
        label=_("Văn bản trình bày"), queryset=Document.objects.none(), required=False
    )
    vote_motion = forms.CharField(
        label=_("Nội dung biểu quyết"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Điều chủ tọa đề nghị Đại hội nhất trí, ví dụ: thông qua Chương trình làm việc "
            "của Đại hội. Bắt buộc với nội dung biểu quyết."
        ),
    )  # fmt: skip

    def __init__(self, *args, congress, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # an item stays in its session; move it by deleting and adding
            del self.fields["session"]
        if "session" in self.fields:
            sessions = Session.objects.filter(congress=congress).order_by("starts_at")
            self.fields["session"].queryset = sessions
        self.fields["document"].queryset = Document.objects.filter(congress=congress).order_by(
            "-date", "-number"
        )

    def item_data(self) -> ItemData:
        data = self.cleaned_data
        return ItemData(
            title=data["title"],
            kind=data["kind"],
            presenter=data["presenter"],
            starts_at=data["starts_at"],
            document=data["document"],
            vote_motion=data["vote_motion"],
        )


class ScriptTemplateForm(forms.Form):
    lines = forms.CharField(
        label=_("Lời điều hành (mỗi dòng một câu)"), required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "{motion} được thay bằng nội dung biểu quyết. Dòng bắt đầu bằng “Ban kiểm phiếu:” "
            "ghi người nói; dòng không ghi người nói là lời của chủ tọa."
        ),
    )  # fmt: skip
