"""Staff pages of the consultation: moderation (kiểm duyệt) and synthesis (tổng hợp ý kiến)."""

from django.urls import path

from daihoi.consultation.views import moderation, synthesis

urlpatterns: list = [
    path("kiem-duyet/", moderation.queue, name="moderation"),
    path("kiem-duyet/<int:pk>/", moderation.act, name="moderation_act"),
    path("kiem-duyet/hang-loat/", moderation.bulk, name="moderation_bulk"),
    path("kiem-duyet/quet-co/", moderation.scan, name="moderation_scan"),
    path("tong-hop/", synthesis.drafts, name="synthesis_drafts"),
    path("tong-hop/<int:draft_pk>/", synthesis.page, name="synthesis"),
    path("tong-hop/<int:draft_pk>/chay/", synthesis.start, name="synthesis_start"),
    path("tong-hop/<int:draft_pk>/bao-cao.docx", synthesis.report_docx, name="synthesis_docx"),
    path("tong-hop/<int:draft_pk>/bao-cao.xlsx", synthesis.report_xlsx, name="synthesis_xlsx"),
    path("tong-hop/luot/<int:pk>/", synthesis.job, name="synthesis_job"),
    path("tong-hop/nhom/<int:pk>/", synthesis.group, name="synthesis_group"),
    path("tong-hop/nhom/<int:pk>/ghi-chu/", synthesis.group_note, name="synthesis_group_note"),
    path("tong-hop/nhom/<int:pk>/gop/", synthesis.group_merge, name="synthesis_group_merge"),
    path("tong-hop/nhom/<int:pk>/tach/", synthesis.group_split, name="synthesis_group_split"),
]
