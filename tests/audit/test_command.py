"""`daihoi audit verify`: one line and status 0 for a whole chain, else the first bad row and 1."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.audit.helpers import build_chain, tamper_sql

pytestmark = pytest.mark.django_db


def test_whole_chain_prints_rows_and_head():
    chain = build_chain(3)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue() == (
        f"Chuỗi nhật ký toàn vẹn: 3 dòng, mã đầu chuỗi {chain[-1].hash[:16]}…\n"
    )


def test_broken_chain_names_the_row_and_exits_1():
    build_chain(4)
    tamper_sql("UPDATE audit_auditentry SET data = %s WHERE seq = 2", ['{"step":20}'])
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert out.getvalue() == ""
    assert err.getvalue() == (
        "Chuỗi nhật ký không toàn vẹn. Dòng số 2 đã bị sửa: mã băm không khớp.\n"
    )


def test_subcommand_is_required():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("audit")
