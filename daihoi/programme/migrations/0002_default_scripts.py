"""Default chair's lines for show-of-hands votes and paper-ballot elections (domain.md §5, §6).

Frozen here as a migration should be; daihoi.programme.defaults keeps the same text and a test
checks that both agree. Rows that staff already changed are left alone.
"""

from django.db import migrations

VOTE = "\n".join(
    [
        "Đồng chí nào nhất trí {motion}, đề nghị giơ thẻ đại biểu.",
        "Đồng chí nào không nhất trí, đề nghị giơ thẻ.",
        "Đồng chí nào có ý kiến khác?",
    ]
)

ELECTION = "\n".join(
    [
        "Chủ tọa: Đoàn Chủ tịch giới thiệu danh sách Ban kiểm phiếu gồm các đồng chí đại biểu "
        "chính thức không có tên trong danh sách bầu cử. Đồng chí nào nhất trí với danh sách Ban "
        "kiểm phiếu, đề nghị giơ thẻ đại biểu.",
        "Trưởng Ban kiểm phiếu: Phổ biến nguyên tắc bầu cử, cách ghi phiếu, phiếu hợp lệ và phiếu "
        "không hợp lệ.",
        "Ban kiểm phiếu: Kiểm tra hòm phiếu trước Đại hội, hòm phiếu còn trống, và niêm phong hòm "
        "phiếu.",
        "Ban kiểm phiếu: Phát phiếu bầu cho đại biểu, kiểm đếm và báo cáo Đại hội số phiếu phát "
        "ra; đề nghị đại biểu kiểm tra phiếu có dấu của cấp ủy triệu tập.",
        "Chủ tọa: Đề nghị các đồng chí đại biểu tiến hành bỏ phiếu {motion}.",
        "Ban kiểm phiếu: Thu phiếu bầu; hỏi Đại hội còn đồng chí nào chưa bỏ phiếu; báo cáo số "
        "phiếu thu vào.",
        "Ban kiểm phiếu: Tiến hành kiểm phiếu tại phòng kiểm phiếu.",
        "Trưởng Ban kiểm phiếu: Đọc biên bản kiểm phiếu và công bố kết quả bầu cử.",
    ]
)


def load(apps, schema_editor):
    template = apps.get_model("programme", "ScriptTemplate")
    for kind, lines in (("vote", VOTE), ("election", ELECTION)):
        template.objects.get_or_create(kind=kind, defaults={"lines": lines})


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
