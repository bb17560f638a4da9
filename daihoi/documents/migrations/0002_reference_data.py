"""Reference data of the register: document types and issuers (domain.md §2, Hướng dẫn 36-HD/VPTW).

The rows are written out here, frozen, as a migration should be; daihoi.documents.symbols keeps
the same tables for parsing without a database, and a test checks that both agree. Rows that
staff changed or added later are left alone (existing codes are not overwritten).
"""

from django.db import migrations

# (code, name, party, state). TT is Thông tri for the Party and Thông tư for the State: one row
# with both flags and both names in it.
DOCUMENT_TYPES = [
    ("NQ", "Nghị quyết", True, True),
    ("QĐ", "Quyết định", True, True),
    ("QĐi", "Quy định", True, False),
    ("QC", "Quy chế", True, True),
    ("CT", "Chỉ thị", True, True),
    ("KL", "Kết luận", True, False),
    ("TT", "Thông tri (văn bản Đảng); Thông tư (văn bản Nhà nước)", True, True),
    ("HD", "Hướng dẫn", True, True),
    ("TB", "Thông báo", True, True),
    ("TC", "Thông cáo", True, True),
    ("KH", "Kế hoạch", True, True),
    ("CTr", "Chương trình", True, True),
    ("BC", "Báo cáo", True, True),
    ("TTr", "Tờ trình", True, True),
    ("ĐA", "Đề án", True, True),
    ("BB", "Biên bản", True, True),
    ("CV", "Công văn", True, False),
    ("BS", "Bản sao", True, False),
    ("QyĐ", "Quy định (văn bản Nhà nước)", False, True),
    ("NĐ", "Nghị định", False, True),
    ("TTLT", "Thông tư liên tịch", False, True),
]

ISSUERS = [
    ("TW", "Ban Chấp hành Trung ương"),
    ("VPTW", "Văn phòng Trung ương Đảng"),
    ("BTCTW", "Ban Tổ chức Trung ương"),
    ("BTGTW", "Ban Tuyên giáo Trung ương"),
    ("TU", "Tỉnh ủy, Thành ủy"),
    ("BTGTU", "Ban Tuyên giáo Tỉnh ủy, Thành ủy"),
    ("BTCTU", "Ban Tổ chức Tỉnh ủy, Thành ủy"),
    ("VPTU", "Văn phòng Tỉnh ủy, Thành ủy"),
    ("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy, Thành ủy"),
    ("ĐU", "Đảng ủy"),
    ("ĐUK", "Đảng ủy Khối"),
    ("TBTCPV", "Tiểu ban tổ chức phục vụ đại hội"),
    ("TTg", "Thủ tướng Chính phủ"),
    ("CP", "Chính phủ"),
    ("UBND", "Ủy ban nhân dân"),
]

# Units of the example congress an issuer belongs to, by name (linked only if present).
UNIT_NAMES = {
    "TU": "Thành ủy Hà Nội",
    "BTGTU": "Ban Tuyên giáo Thành ủy",
    "BTCTU": "Ban Tổ chức Thành ủy",
    "VPTU": "Văn phòng Thành ủy",
    "UBKTTU": "Ủy ban Kiểm tra Thành ủy",
    "TBTCPV": "Tiểu ban tổ chức phục vụ đại hội",
}


def load(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    Issuer = apps.get_model("documents", "Issuer")
    Unit = apps.get_model("core", "Unit")
    for code, name, party, state in DOCUMENT_TYPES:
        DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "party": party, "state": state}
        )
    for code, name in ISSUERS:
        issuer, _ = Issuer.objects.get_or_create(code=code, defaults={"name": name})
        unit_name = UNIT_NAMES.get(code)
        if issuer.unit_id is None and unit_name:
            unit = Unit.objects.filter(name=unit_name).first()
            if unit is not None:
                issuer.unit = unit
                issuer.save(update_fields=["unit"])


def unload(apps, schema_editor):
    # Only rows no document uses; the rest stays (documents protect their type and issuer).
    DocumentType = apps.get_model("documents", "DocumentType")
    Issuer = apps.get_model("documents", "Issuer")
    DocumentType.objects.filter(
        code__in=[row[0] for row in DOCUMENT_TYPES], document__isnull=True
    ).delete()
    Issuer.objects.filter(code__in=[row[0] for row in ISSUERS], document__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, unload)]
