from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from daihoi.audit.views import AuditListView
from daihoi.core.views import accounts, pages

admin.site.site_header = "daihoi — Quản trị hệ thống"
admin.site.site_title = "daihoi"
admin.site.index_title = "Quản trị dữ liệu"

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("tai-khoan/dang-nhap/", accounts.LoginView.as_view(), name="login"),
    path("tai-khoan/dang-xuat/", accounts.LogoutView.as_view(), name="logout"),
    path("tai-khoan/xac-thuc-hai-buoc/", accounts.two_factor, name="two_factor"),
    path("tai-khoan/doi-mat-khau/", accounts.password_change, name="password_change"),
    path("don-vi/", pages.UnitListView.as_view(), name="unit_list"),
    path("don-vi/<int:pk>/", pages.UnitDetailView.as_view(), name="unit_detail"),
    path("don-vi/<int:pk>/sua/", pages.UnitUpdateView.as_view(), name="unit_update"),
    path("van-ban/", include("daihoi.documents.urls")),
    path("quan-tri/nguoi-dung/", accounts.UserListView.as_view(), name="user_list"),
    path(
        "quan-tri/nguoi-dung/<int:pk>/dat-lai-mat-khau/",
        accounts.user_reset_password,
        name="user_reset_password",
    ),
    path(
        "quan-tri/nguoi-dung/<int:pk>/dat-lai-xac-thuc/",
        accounts.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path("quan-tri/nhat-ky/", AuditListView.as_view(), name="audit_list"),
    path("nhiem-vu/", include("daihoi.tasks.urls")),
    path("dai-bieu/", include("daihoi.delegates.urls")),
    path("bau-cu/", include("daihoi.elections.urls")),
    path("chuong-trinh/", include("daihoi.programme.urls")),
    path("bieu-quyet/", include("daihoi.voting.urls")),
    path("bieu-quyet/may-tinh-bang/", include("daihoi.delegates.hall_urls")),
    path("co-quan/", include("daihoi.bodies.urls")),
    path("", include("daihoi.consultation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("daihoi.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("admin/", admin.site.urls),
]
urlpatterns += (
    static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) if settings.DEBUG else []
)

handler403 = "daihoi.core.views.errors.permission_denied"
handler404 = "daihoi.core.views.errors.page_not_found"
handler500 = "daihoi.core.views.errors.server_error"
