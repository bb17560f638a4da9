from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from daihoi.core.models import Unit
from daihoi.tasks import status
from daihoi.tasks.models import DeadlineKind, Periodicity


def split_names(text: str) -> list[str]:
    """Unit names or approval bodies typed one per line or separated by ";"."""
    return [part.strip() for part in text.replace(";", "\n").splitlines() if part.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung báo cáo tiến độ"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    files = MultipleFileField(label=_("Tệp kèm theo (PDF, DOCX, XLSX, ảnh)"), required=False)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Tên nhiệm vụ"), max_length=300)
    source_text = forms.CharField(
        label=_("Trích nguyên văn từ văn bản"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    lead_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Unit.objects.all(), required=False
    )
    lead_text = forms.CharField(
        label=_("Hoặc đơn vị chủ trì ghi theo văn bản (nhóm đơn vị)"),
        required=False,
        max_length=200,
    )
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"), queryset=Unit.objects.all(), required=False
    )
    coordinating_text = forms.CharField(
        label=_("Đơn vị phối hợp ghi theo văn bản"), required=False, max_length=200
    )
    deliverable = forms.CharField(label=_("Sản phẩm"), required=False, max_length=300)
    deadline_kind = forms.ChoiceField(label=_("Loại thời hạn"), choices=DeadlineKind.choices)
    deadline_date = forms.DateField(
        label=_("Hạn (ngày bất kỳ trong tháng/quý/năm với loại tương ứng)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    deadline_text = forms.CharField(
        label=_("Thời hạn ghi trong văn bản"), required=False, max_length=200
    )
    periodicity = forms.ChoiceField(
        label=_("Chu kỳ báo cáo"), choices=Periodicity.choices, required=False
    )
    approval_chain = forms.CharField(
        label=_("Trình phê duyệt (mỗi dòng một cấp, theo thứ tự)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    historical = forms.BooleanField(
        label=_("Nhập nhiệm vụ đã giao trước đây (cho phép thời hạn đã qua)"), required=False
    )


class DashboardFilterForm(forms.Form):
    document = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date_from = forms.DateField(
        label=_("Hạn từ ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    date_to = forms.DateField(
        label=_("đến ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )


class TaskFilterForm(DashboardFilterForm):
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    grid = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("Tất cả"))] + [(key, status.LABELS[key]) for key in status.GRID],
    )
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100)


class TaskEditForm(forms.Form):
    title = TaskForm.base_fields["title"]
    source_text = TaskForm.base_fields["source_text"]
    deliverable = TaskForm.base_fields["deliverable"]
    deadline_kind = TaskForm.base_fields["deadline_kind"]
    deadline_date = TaskForm.base_fields["deadline_date"]
    deadline_text = TaskForm.base_fields["deadline_text"]
    periodicity = TaskForm.base_fields["periodicity"]
    historical = TaskForm.base_fields["historical"]


class SplitForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Giao cho từng đơn vị"), queryset=Unit.objects.order_by("kind", "name")
    )
