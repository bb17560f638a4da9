"""Demo of the public consultation: a draft political report written here as a DOCX (invented
text in the usual Party-document shape, not a real draft and not the feedback data set),
published and open for comments; a news article; a few invented comments. Idempotent: a
congress that already has a draft is left alone. Needs the current congress and an organising
staff account."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from daihoi.consultation.models import Draft
from daihoi.consultation.services import drafts, intake
from daihoi.core.models import Congress, Role, User

DRAFT_TITLE = "Dự thảo Báo cáo chính trị trình Đại hội (bản lấy ý kiến nhân dân)"

# (style or None, text): a style "Heading N" marks a heading the Word way; the other headings are
# recognised by the numbering written in their text.
DRAFT_BLOCKS: list[tuple[str | None, str]] = [
    (
        None,
        "Báo cáo này tổng kết nhiệm kỳ vừa qua và đề ra phương hướng cho nhiệm kỳ tới. "
        "Thành ủy mong nhận được nhiều ý kiến đóng góp của cán bộ, đảng viên và Nhân dân.",
    ),
    ("Heading 1", "Phần thứ nhất: Kết quả thực hiện Nghị quyết Đại hội nhiệm kỳ trước"),
    (None, "I. VỀ PHÁT TRIỂN KINH TẾ"),
    (None, "1. Tăng trưởng và cơ cấu kinh tế"),
    (
        None,
        "Kinh tế của thành phố duy trì mức tăng trưởng khá; quy mô kinh tế tiếp tục được mở "
        "rộng, cơ cấu chuyển dịch theo hướng dịch vụ và công nghiệp công nghệ cao.",
    ),
    (
        None,
        "Thu ngân sách hằng năm đều vượt dự toán; đầu tư công được giải ngân nhanh hơn các "
        "năm trước.",
    ),
    (None, "2. Hạ tầng đô thị"),
    (
        None,
        "Nhiều công trình giao thông trọng điểm được hoàn thành, góp phần giảm ùn tắc ở các "
        "cửa ngõ.",
    ),
    (None, "a) Hạn chế:"),
    (None, "Tiến độ một số dự án còn chậm; công tác giải phóng mặt bằng còn vướng mắc."),
    (None, "II. VỀ VĂN HÓA, XÃ HỘI"),
    (
        None,
        "Chất lượng giáo dục và y tế được nâng lên; đời sống vật chất và tinh thần của Nhân "
        "dân tiếp tục được cải thiện.",
    ),
    ("table", ""),
    ("Heading 1", "Phần thứ hai: Phương hướng, mục tiêu nhiệm kỳ tới"),
    (None, "I. MỤC TIÊU TỔNG QUÁT"),
    (
        None,
        "Xây dựng Đảng bộ trong sạch, vững mạnh; phát triển thành phố nhanh và bền vững; "
        "nâng cao đời sống của Nhân dân.",
    ),
    (None, "II. CÁC CHỈ TIÊU CHỦ YẾU"),
    (None, "1.1. Về kinh tế"),
    (None, "Tốc độ tăng trưởng bình quân hằng năm khoảng 7,5%."),
    (None, "1.2. Về xã hội"),
    (None, "Tỷ lệ hộ nghèo giảm mỗi năm; tỷ lệ lao động qua đào tạo đạt trên 75%."),
]
TABLE = [["Chỉ tiêu", "Kế hoạch", "Thực hiện"], ["Trường đạt chuẩn quốc gia", "70%", "72,5%"],
         ["Bác sĩ trên 10.000 dân", "14", "14,2"]]  # fmt: skip

ARTICLE = (
    "Thành ủy công bố dự thảo Báo cáo chính trị để lấy ý kiến nhân dân",
    "Mời cán bộ, đảng viên và Nhân dân góp ý vào dự thảo đến hết tháng này.",
    "Thực hiện kế hoạch chuẩn bị Đại hội, Thành ủy công bố toàn văn dự thảo Báo cáo chính trị "
    "trên trang thông tin điện tử.\n\nMọi ý kiến được tiếp nhận qua mẫu góp ý dưới mỗi mục của "
    "dự thảo và dưới bản tin này; mỗi ý kiến nhận một số tiếp nhận để tra cứu.",
)
COMMENTS = [
    ("Trần Văn Bình", "0912345678", "Về giải phóng mặt bằng",
     "Đề nghị nêu rõ nguyên nhân chậm giải phóng mặt bằng và trách nhiệm của từng cấp.", 4, 2),
    ("Lê Thị Hoa", "", "Giáo dục",
     "Tôi đồng ý với dự thảo; đề nghị bổ sung chỉ tiêu về trường học ở ngoại thành.", 7, 1),
    ("Nguyễn Minh Tuấn", "024 3825 1234", "Chỉ tiêu tăng trưởng",
     "Chỉ tiêu 7,5% là phù hợp nhưng cần nói rõ giải pháp về vốn đầu tư.", 11, 1),
]  # fmt: skip


def build_demo_docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(DRAFT_TITLE, level=0)
    for style, text in DRAFT_BLOCKS:
        if style == "table":
            table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
            for row, values in zip(table.rows, TABLE, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
        elif style:
            document.add_paragraph(text, style=style)
        else:
            paragraph = document.add_paragraph()
            paragraph.add_run(text).bold = text.isupper() or text.endswith(":")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def load_demo_consultation() -> int:
    """Create the demo draft, article and comments; returns the number of comments created."""
    congress = Congress.objects.filter(is_current=True).first()
    staff = User.objects.filter(role_assignments__role=Role.ORGANISING_STAFF).first()
    if congress is None or staff is None or Draft.objects.filter(congress=congress).exists():
        return 0
    draft = drafts.create_draft(staff, congress, DRAFT_TITLE)
    upload = SimpleUploadedFile("du-thao-bao-cao-chinh-tri.docx", build_demo_docx())
    version = drafts.upload_version(staff, draft, upload)
    drafts.publish_version(staff, version)
    drafts.set_comments_open(staff, version, True)
    article = drafts.create_article(staff, *ARTICLE)
    drafts.set_article_published(staff, article, True)
    sections = {s.position: s for s in version.sections.all()}
    created = 0
    for name, phone, title, content, position, paragraph in COMMENTS:
        section = sections.get(position)
        _store(name, phone, title, content, version.pk, section, paragraph)
        created += 1
    _store("Phạm Thu Trang", "", "Ủng hộ", "Tôi hoàn toàn nhất trí với nội dung bản tin.",
           None, None, None, article=article)  # fmt: skip
    return created + 1


def _store(name, phone, title, content, version_id, section, paragraph, article=None) -> None:
    """Demo comments go straight in (no captcha or rate limit: nobody typed them)."""
    from django.utils import timezone

    from daihoi.consultation.models import Comment

    data = intake.clean(intake.CommentData(name, title, content, phone))
    Comment.objects.create(
        reference=intake.new_reference(), name=data.name, phone=data.phone, title=data.title,
        content=data.content, created_at=timezone.now(), version_id=version_id if not article
        else None, section=section,
        paragraph=section.paragraphs.filter(number=paragraph).first() if section else None,
        article=article,
    )  # fmt: skip
