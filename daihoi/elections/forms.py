"""Forms of the election screens: the input boundary. They only shape what was typed; the rules
(surplus, floor approval, blind double entry) are checked by services/."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from daihoi.core.models import User
from daihoi.delegates.models import OFFICIAL_CATEGORIES, Delegate
from daihoi.elections.models import ElectedBody, Regulation
from daihoi.elections.rules import BallotKind, InvalidReason

BALLOT_KINDS = [
    (BallotKind.STRIKE.value, _("Gạch tên (danh sách có số dư)")),
    (BallotKind.AGREE.value, _("Đồng ý / Không đồng ý (không có số dư)")),
    (BallotKind.SINGLE.value, _("Một người (Đồng ý / Không đồng ý)")),
]

# What the counting board can see on the paper and records itself (rules.BOARD_REASONS).
BOARD_REASON_CHOICES = [
    ("", _("Không (phiếu bình thường)")),
    (InvalidReason.NOT_ISSUED.value, _("Phiếu không do Ban kiểm phiếu phát ra")),
    (InvalidReason.MARKED.value, _("Có dấu hiệu nhận biết hoặc ghi thêm tên")),
]

# One character per candidate, as BallotEntry.marks stores them.
MARK_CHOICES = [
    ("1", _("Đồng ý")),
    ("0", _("Không đồng ý")),
    ("-", _("Để trống")),
    ("2", _("Cả hai")),
]
BLANK = "-"


class ElectionForm(forms.Form):
    body = forms.ChoiceField(label=_("Bầu"), choices=ElectedBody.choices)
    title = forms.CharField(label=_("Tên cuộc bầu cử"), max_length=300)
    seats = forms.IntegerField(label=_("Số lượng cần bầu"), min_value=1, max_value=1000)
    seats_decision = forms.CharField(
        label=_("Biểu quyết số lượng"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kết quả biểu quyết giơ thẻ về số lượng cần bầu."),
    )  # fmt: skip
    ballot_kind = forms.ChoiceField(label=_("Loại phiếu"), choices=BALLOT_KINDS)
    regulation = forms.ChoiceField(
        label=_("Quy chế"), choices=Regulation.choices, initial=Regulation.R190
    )


class CandidateForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    from_floor = forms.BooleanField(label=_("Đề cử tại đại hội"), required=False)
    floor_approval = forms.CharField(
        label=_("Biểu quyết đưa vào danh sách"), required=False,
        help_text=_("Người được đề cử tại đại hội cần trên 30% đại biểu có mặt tán thành."),
    )  # fmt: skip


class WithdrawForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Người rút khỏi danh sách"), queryset=None)
    reason = forms.CharField(
        label=_("Lý do và kết quả biểu quyết"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = election.candidates.filter(withdrawn=False).order_by(
            "full_name"
        )


class _DelegateChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number}. {obj.full_name}"


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name()} ({obj.username})"


class BoardMemberForm(forms.Form):
    delegate = _DelegateChoice(label=_("Đại biểu chính thức"), queryset=None)
    user = _UserChoice(label=_("Tài khoản đăng nhập"), queryset=None)
    approval = forms.CharField(
        label=_("Biểu quyết thông qua"), widget=forms.Textarea(attrs={"rows": 2})
    )
    is_head = forms.BooleanField(label=_("Trưởng ban"), required=False)

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = Delegate.objects.filter(
            congress=congress, category__in=OFFICIAL_CATEGORIES
        ).order_by("number")
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")


class OpenRoundForm(forms.Form):
    ballots_issued = forms.IntegerField(
        label=_("Số phiếu phát ra"), min_value=1, required=False,
        help_text=_("Số tờ phiếu Ban kiểm phiếu đã phát; số tờ nhập không vượt quá số này."),
    )  # fmt: skip


class NextRoundForm(forms.Form):
    decision = forms.CharField(
        label=_("Quyết định của đại hội về việc bầu tiếp"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class DiscardForm(forms.Form):
    sheet = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ghi chú"), max_length=1000)


class EntryForm(forms.Form):
    """One typing of one paper ballot. A strike ballot is one text field with the numbers of
    the struck names ("3 7 12"); an agree or single ballot has one choice per candidate."""

    sheet = forms.IntegerField(label=_("Số tờ phiếu"), min_value=1)
    board_reason = forms.ChoiceField(
        label=_("Ban kiểm phiếu ghi phiếu không hợp lệ"), choices=BOARD_REASON_CHOICES,
        required=False,
    )  # fmt: skip
    note = forms.CharField(label=_("Ghi chú (phiếu có nghi vấn)"), required=False, max_length=2000)

    def __init__(self, *args, kind: str, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.names = kind, names
        self.fields["sheet"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        if kind == BallotKind.STRIKE:
            self.fields["struck"] = forms.CharField(
                label=_("Số thứ tự các tên bị gạch"), required=False, max_length=1000,
                help_text=_("Gõ các số cách nhau bởi dấu cách, ví dụ «3 7 12», rồi nhấn Enter. "
                            "Không gạch tên nào: để trống."),
            )  # fmt: skip
            self.fields["struck"].widget.attrs.update(autocomplete="off", autofocus=True)
        else:
            for i, name in enumerate(names, start=1):
                self.fields[f"mark_{i}"] = forms.ChoiceField(
                    label=f"{i}. {name}", choices=MARK_CHOICES, initial=BLANK,
                    widget=forms.RadioSelect,
                )  # fmt: skip
        self.order_fields(["sheet", "struck", *self.mark_fields(), "board_reason", "note"])

    def mark_fields(self) -> list[str]:
        return [f"mark_{i}" for i in range(1, len(self.names) + 1)]

    def marks_for_agree(self) -> str:
        return "".join(self.cleaned_data[name] for name in self.mark_fields())
