"""Input boundary of the register: the forms only read and tidy; the services decide and write."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from daihoi.core.models import Congress
from daihoi.core.uploads import DOCX, PDF
from daihoi.documents.models import LinkKind, Secrecy, SignerCapacity, Urgency
from daihoi.documents.symbols import SymbolError, normalize_term
from daihoi.vietnamese import VietnameseDateError, parse_date

# Live check of the symbol (HTMX): every field that changes the proposal asks again.
_CHECK = {
    "hx-get": reverse_lazy("documents:check_symbol"),
    "hx-target": "#symbol-check",
    "hx-include": "closest form",
}


def _check_on(trigger: str, **attrs) -> dict:
    return {**_CHECK, "hx-trigger": trigger, **attrs}


class DocumentForm(forms.Form):
    symbol = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=80,
        help_text=_(
            "Văn bản Đảng: 2682-TB/TU; văn bản Nhà nước: 42/2014/QĐ-TTg. Gõ «TB/TU» để xem số "
            "tiếp theo."
        ),
        widget=forms.TextInput(
            attrs=_check_on(
                "input changed delay:300ms, load",
                autocomplete="off",
                **{"aria-describedby": "id_symbol_helptext symbol-check"},
            )
        ),
    )
    date = forms.CharField(
        label=_("Ngày ban hành"),
        max_length=40,
        help_text=_("Dạng 22/06/2020."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "22/06/2020"}),
    )
    place = forms.CharField(label=_("Địa danh"), max_length=100, initial="Hà Nội")
    summary = forms.CharField(
        label=_("Trích yếu"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    term = forms.CharField(
        label=_("Nhiệm kỳ"),
        max_length=20,
        required=False,
        help_text=_("Nhiệm kỳ của cấp ủy ban hành, ví dụ 2015–2020: số bắt đầu lại từ 01."),
        widget=forms.TextInput(attrs=_check_on("change", placeholder="2015–2020")),
    )
    in_congress = forms.BooleanField(
        label=_("Ban hành trong đại hội"),
        required=False,
        help_text=_("Từ phiên trù bị đến bế mạc: đại hội và các đoàn dùng chung một dãy số."),
        widget=forms.CheckboxInput(attrs=_check_on("change")),
    )
    congress = forms.ModelChoiceField(
        label=_("Đại hội"),
        queryset=Congress.objects.all(),
        required=False,
        empty_label=_("(không gắn với đại hội)"),
        widget=forms.Select(attrs=_check_on("change")),
    )
    signer_capacity = forms.ChoiceField(
        label=_("Thẩm quyền ký"), choices=SignerCapacity.choices, required=False
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False)
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    secrecy = forms.ChoiceField(label=_("Độ mật"), choices=Secrecy.choices, required=False)
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, required=False)
    body = forms.CharField(
        label=_("Nội dung (văn bản thuần)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_date(self):
        text = self.cleaned_data["date"]
        try:
            return parse_date(text)
        except VietnameseDateError:
            raise forms.ValidationError(
                _("Ngày «%(text)s» không hợp lệ; nhập dạng 22/06/2020."), params={"text": text}
            ) from None

    def clean_term(self):
        try:
            return normalize_term(self.cleaned_data["term"])
        except SymbolError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        data = super().clean()
        if data.get("in_congress") and not data.get("congress"):
            self.add_error(
                "congress", _("Văn bản ban hành trong đại hội phải gắn với một đại hội.")
            )
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp PDF hoặc Word (DOCX)"),
        widget=forms.FileInput(attrs={"accept": f".pdf,.docx,{PDF},{DOCX}"}),
    )


class LinkForm(forms.Form):
    OUTGOING = "out"
    INCOMING = "in"

    direction = forms.ChoiceField(
        label=_("Chiều liên kết"),
        choices=[
            (OUTGOING, _("Văn bản này … văn bản kia")),
            (INCOMING, _("Văn bản kia … văn bản này")),
        ],
        initial=OUTGOING,
    )
    kind = forms.ChoiceField(label=_("Quan hệ"), choices=LinkKind.choices)
    target = forms.CharField(
        label=_("Số, ký hiệu văn bản kia"),
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "01-KH/TBTCPV", "autocomplete": "off"}),
    )
