"""Every URL of the consultation (namespace `consultation`): public pages in Vietnamese paths,
staff pages under quan-tri-du-thao/."""

from django.urls import path

from daihoi.consultation.views import drafts, public

urlpatterns: list = [
    path("du-thao/", public.draft_list, name="drafts"),
    path("du-thao/<int:pk>/", public.draft_read, name="draft"),
    path("du-thao/<int:pk>/gop-y/", public.draft_comment, name="draft_comment"),
    path("tin-tuc/", public.news_list, name="news"),
    path("tin-tuc/<int:pk>/", public.news_detail, name="article"),
    path("tin-tuc/<int:pk>/gop-y/", public.news_comment, name="article_comment"),
    path("gop-y/da-nhan/<str:reference>/", public.acknowledged, name="acknowledged"),
    path("gop-y/san-sang/", public.intake_ready, name="intake_ready"),
    path("gop-y/ma-xac-nhan/moi/", public.captcha_refresh, name="captcha_refresh"),
    path("gop-y/ma-xac-nhan/<str:key>.png", public.captcha_image, name="captcha_image"),
    path("quan-tri-du-thao/", drafts.draft_admin_list, name="draft_admin_list"),
    path("quan-tri-du-thao/<int:pk>/", drafts.draft_admin, name="draft_admin"),
    path("quan-tri-du-thao/phien-ban/<int:pk>/", drafts.version_preview, name="version_preview"),
    path(
        "quan-tri-du-thao/phien-ban/<int:pk>/<str:action>/",
        drafts.version_action,
        name="version_action",
    ),  # fmt: skip
    path("quan-tri-du-thao/tin-tuc/", drafts.news_admin, name="news_admin"),
    path("quan-tri-du-thao/tin-tuc/<int:pk>/dang/", drafts.news_publish, name="news_publish"),
]
