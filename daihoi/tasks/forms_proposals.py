from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from daihoi.tasks.forms import TaskForm, split_names


class SourceForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung văn bản (dán vào đây)"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=500_000,
    )
    file = forms.FileField(label=_("Hoặc tải tệp lên (TXT, DOCX, PDF có lớp chữ)"), required=False)


class ProposalForm(forms.Form):
    accept = forms.BooleanField(label=_("Giao nhiệm vụ này"), required=False, initial=True)
    title = forms.CharField(label=_("Tên nhiệm vụ"), max_length=300)
    source_text = forms.CharField(
        label=_("Trích nguyên văn"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lead = forms.CharField(
        label=_("Đơn vị chủ trì (cách nhau bằng ;)"), required=False, max_length=1000
    )
    coordinating = forms.CharField(
        label=_("Đơn vị phối hợp (cách nhau bằng ;)"), required=False, max_length=1000
    )
    deadline_kind = TaskForm.base_fields["deadline_kind"]
    deadline_date = TaskForm.base_fields["deadline_date"]
    deadline_text = TaskForm.base_fields["deadline_text"]
    approval_chain = forms.CharField(
        label=_("Trình phê duyệt (cách nhau bằng ;)"), required=False, max_length=1000
    )

    def lists(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            "lead_units": split_names(data["lead"]),
            "coordinating_units": split_names(data["coordinating"]),
            "approval_chain": split_names(data["approval_chain"]),
        }


ProposalFormSet = forms.formset_factory(ProposalForm, extra=0, max_num=500)
