"""The period form of the report: dates typed as dd/mm/yyyy, optional document and unit."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from daihoi.core.models import Unit
from daihoi.documents.models import Document
from daihoi.tasks.models import Task
from daihoi.vietnamese import VietnameseDateError, parse_date

MAX_PERIOD_DAYS = 3660  # ten years: more is a typing mistake, not a report


class ReportForm(forms.Form):
    date_from = forms.CharField(
        label=_("Từ ngày"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    date_to = forms.CharField(
        label=_("Đến ngày"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    document = forms.ModelChoiceField(
        label=_("Văn bản giao nhiệm vụ"),
        queryset=Document.objects.none(),
        required=False,
        empty_label=_("Tất cả văn bản"),
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Tất cả đơn vị"),
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        visible = Task.objects.visible_to(user)
        self.fields["document"].queryset = Document.objects.filter(
            pk__in=visible.values("document_id")
        ).order_by("-date", "symbol")
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("name")

    @staticmethod
    def _date(value: str) -> dt.date:
        try:
            return parse_date(value)
        except VietnameseDateError:
            raise forms.ValidationError(
                gettext("Ngày «%(value)s» không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."),
                code="invalid_date",
                params={"value": value},
            ) from None

    def clean_date_from(self) -> dt.date:
        return self._date(self.cleaned_data["date_from"])

    def clean_date_to(self) -> dt.date:
        return self._date(self.cleaned_data["date_to"])

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(
                    gettext("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), code="period"
                )
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(
                    gettext("Kỳ báo cáo dài quá 10 năm; hãy kiểm tra lại ngày."), code="period"
                )
        return data
