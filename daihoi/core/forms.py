from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from daihoi.core.models import Unit
from daihoi.core.rules import can_manage_units
from daihoi.core.services.units import LIAISON_FIELDS


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: nhập sai nhiều lần, "
            "tài khoản sẽ bị tạm khóa."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Mã xác thực 6 số"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Mã gồm đúng 6 chữ số.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class UnitForm(forms.ModelForm):
    aliases_text = forms.CharField(
        label=_("Tên gọi khác (mỗi dòng một tên)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = Unit
        fields = ["name", "short_name", "acronym", "kind", "parent", "email", "phone", "address"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aliases_text"].initial = "\n".join(self.instance.aliases or [])
        if not can_manage_units(user):
            for name in list(self.fields):
                if name not in LIAISON_FIELDS:
                    del self.fields[name]

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.fields if name != "aliases_text"}
        if "aliases_text" in self.fields:
            data["aliases"] = [
                line.strip()
                for line in self.cleaned_data["aliases_text"].splitlines()
                if line.strip()
            ]
        return data

    def _post_clean(self):
        # The service validates and saves; the form must not write to the instance itself.
        pass
