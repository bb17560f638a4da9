"""Drafts, sections and comments built directly with the ORM for the moderation and synthesis
tests (the public side has its own DOCX import; these tests need none of it)."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from daihoi.consultation.models import Comment, CommentStatus, Draft, DraftVersion, Section
from tests.factories import CongressFactory, UnitFactory, UserFactory

_references = itertools.count(1)


@contextlib.contextmanager
def eager_celery():
    """Celery runs tasks inline for the block, even when REDIS_URL names a broker (the
    PostgreSQL run of the suite), so a test sees what the task did."""
    from daihoi.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before


def make_draft(
    title: str = "Dự thảo Báo cáo chính trị", sections: int = 2, created_by=None, congress=None
) -> Draft:
    """A draft with one published version and `sections` sections numbered I, II, …"""
    author = created_by or UserFactory()
    congress = congress or CongressFactory(convening_committee=UnitFactory(), is_current=True)
    draft = Draft.objects.create(congress=congress, title=title, created_by=author)
    version = DraftVersion(
        draft=draft, number=1, uploaded_by=author, published_at=timezone.now(), comments_open=True
    )
    version.source.save("du-thao.docx", ContentFile(b"PK"), save=False)
    version.save()
    titles = [
        "Đánh giá kết quả thực hiện Nghị quyết nhiệm kỳ 2015 - 2020",
        "Phương hướng, mục tiêu, nhiệm vụ nhiệm kỳ 2020 - 2025",
        "Công tác xây dựng Đảng và hệ thống chính trị",
        "Phát triển kinh tế - xã hội, đô thị và nông thôn mới",
    ]
    romans = ["I", "II", "III", "IV", "V", "VI"]
    for position in range(sections):
        Section.objects.create(
            version=version,
            position=position + 1,
            number=romans[position],
            title=titles[position % len(titles)],
        )
    return draft


def sections_of(draft: Draft) -> list[Section]:
    return list(Section.objects.filter(version__draft=draft).order_by("position"))


def make_comment(
    section: Section | None = None,
    content: str = "Đề nghị bổ sung nội dung về chuyển đổi số trong công tác quản lý đô thị.",
    *,
    version: DraftVersion | None = None,
    title: str = "Góp ý dự thảo",
    name: str = "Nguyễn Văn An",
    status: str = CommentStatus.RECEIVED,
    created_at: dt.datetime | None = None,
    **fields,
) -> Comment:
    number = next(_references)
    return Comment.objects.create(
        reference=f"GY-T{number:07d}",
        version=version or section.version,
        section=section,
        name=name,
        title=title,
        content=content,
        status=status,
        created_at=created_at or timezone.now(),
        **fields,
    )


def bulk_comments(section: Section, texts: list[str], start: dt.datetime | None = None, **fields):
    """Many comments at once, one minute apart (ids in the order of `texts`)."""
    start = start or timezone.now() - dt.timedelta(days=3)
    rows = []
    for offset, text in enumerate(texts):
        number = next(_references)
        rows.append(
            Comment(
                reference=f"GY-T{number:07d}",
                version=section.version,
                section=section,
                name=f"Người góp ý {number}",
                title="Góp ý",
                content=text,
                created_at=start + dt.timedelta(minutes=offset),
                **fields,
            )
        )
    Comment.objects.bulk_create(rows, batch_size=500)
    return list(Comment.objects.filter(reference__in=[r.reference for r in rows]).order_by("pk"))


# --- comments written for the tests (our own sentences, no real data) ---

TOPICS = {
    "giao thông": (
        ["ùn tắc giao thông", "đường sắt đô thị", "mạng lưới xe buýt", "bãi đỗ xe công cộng",
         "đường vành đai bốn"],
        ["để giảm ùn tắc vào giờ cao điểm", "nhất là ở các quận nội thành",
         "gắn với quy hoạch phát triển đô thị", "cho người dân đi lại thuận tiện"],
    ),
    "giáo dục": (
        ["trường mầm non công lập", "đội ngũ giáo viên", "chất lượng giáo dục phổ thông",
         "cơ sở vật chất trường học", "học sinh vùng ven đô"],
        ["để giảm sĩ số học sinh mỗi lớp", "đặc biệt ở các khu đô thị mới",
         "bảo đảm công bằng trong giáo dục", "nâng cao thu nhập cho giáo viên"],
    ),
    "y tế": (
        ["trạm y tế xã phường", "tình trạng quá tải bệnh viện", "bảo hiểm y tế toàn dân",
         "đội ngũ bác sĩ tuyến cơ sở", "chăm sóc sức khỏe người cao tuổi"],
        ["để người bệnh không phải lên tuyến trên", "nhất là ở các huyện ngoại thành",
         "bảo đảm thuốc và trang thiết bị", "giảm thời gian chờ khám bệnh"],
    ),
    "môi trường": (
        ["ô nhiễm không khí", "xử lý rác thải sinh hoạt", "nước thải chưa qua xử lý",
         "diện tích cây xanh đô thị", "ô nhiễm các dòng sông nội đô"],
        ["vì ảnh hưởng trực tiếp đến sức khỏe nhân dân", "có lộ trình và chỉ tiêu cụ thể",
         "xử lý nghiêm các cơ sở gây ô nhiễm", "huy động cộng đồng cùng tham gia"],
    ),
}  # fmt: skip
VERBS = [
    "Đề nghị tăng cường đầu tư cho", "Cần quan tâm hơn nữa đến", "Đề nghị có giải pháp cụ thể về",
    "Dự thảo nên bổ sung chỉ tiêu về", "Cần làm rõ trách nhiệm trong",
]  # fmt: skip
CAMPAIGN = (
    "Đề nghị giữ nguyên quy hoạch công viên Thống Nhất, không xây dựng thêm công trình thương "
    "mại trong khuôn viên công viên, để người dân có nơi tập thể dục và vui chơi."
)
AGREEMENT = [
    "Tôi hoàn toàn nhất trí với dự thảo.", "nhat tri", "Đồng ý!", "Tán thành nội dung dự thảo ạ.",
    "Rất đồng ý với báo cáo chính trị", "Xin cảm ơn ạ", "ủng hộ",
]  # fmt: skip


OPENINGS = [
    "Qua theo dõi thực tế ở địa phương,", "Là người dân sống ở đây nhiều năm,", "Tôi thấy rằng",
    "Theo ý kiến của gia đình tôi,", "Sau khi đọc kỹ dự thảo,", "Là cán bộ hưu trí,",
    "Từ kinh nghiệm công tác ở phường,", "Tổ dân phố chúng tôi đã thảo luận và thấy",
]  # fmt: skip
DETAILS = [
    "Mỗi năm nên có báo cáo công khai kết quả.", "Kinh phí cần được phân bổ sớm và minh bạch.",
    "Việc này người dân đã kiến nghị nhiều lần.", "Phải giao rõ cho từng sở, ngành chủ trì.",
    "Nên học tập kinh nghiệm của các thành phố lớn trong khu vực.",
    "Nhiệm kỳ trước kết quả còn hạn chế.", "Cần lấy ý kiến người dân trước khi triển khai.",
]  # fmt: skip


def topic_comment(rng, topic: str) -> str:
    subjects, additions = TOPICS[topic]
    return (
        f"{rng.choice(OPENINGS)} {rng.choice(VERBS).lower()} {rng.choice(subjects)} "
        f"{rng.choice(additions)}. {rng.choice(DETAILS)}"
    )


def sample_texts(count: int, seed: int = 1, campaign: int = 25, agreement: int = 30):
    """`count` topic comments (a tenth typed without diacritics), a campaign of near-copies of
    one text and short agreement comments, shuffled; returns (texts, campaign texts)."""
    import random

    from daihoi.vietnamese import fold

    rng = random.Random(seed)
    topics = list(TOPICS)
    texts = []
    for n in range(count):
        text = topic_comment(rng, topics[n % len(topics)])
        texts.append(fold(text) if n % 10 == 0 else text)
    copies = []
    for n in range(campaign):
        variant = CAMPAIGN if n % 3 else fold(CAMPAIGN)
        copies.append(variant + (" Xin cảm ơn." if n % 4 == 0 else ""))
    texts += copies
    texts += [AGREEMENT[n % len(AGREEMENT)] for n in range(agreement)]
    rng.shuffle(texts)
    return texts, copies
