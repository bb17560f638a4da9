from django.urls import path

from daihoi.delegates.views import checkin, roster

app_name = "delegates"
urlpatterns = [
    path("", roster.DelegateListView.as_view(), name="list"),
    path("<int:pk>/", roster.DelegateDetailView.as_view(), name="detail"),
    path("<int:pk>/vang-mat/", checkin.absence, name="absence"),
    path("diem-danh/", checkin.sessions, name="sessions"),
    path("diem-danh/<int:pk>/", checkin.page, name="checkin"),
    path("diem-danh/<int:pk>/quet/", checkin.scan, name="checkin_scan"),
    path("diem-danh/<int:pk>/so-lieu/", checkin.figures, name="checkin_figures"),
    path("diem-danh/<int:pk>/man-hinh/", checkin.screen, name="checkin_screen"),
    path("diem-danh/<int:pk>/danh-sach-giay/", checkin.paper_list, name="checkin_paper"),
    path("nhap/", roster.import_upload, name="import"),
    path("nhap/xac-nhan/", roster.import_confirm, name="import_confirm"),
    path("xuat/", roster.export, name="export"),
]
