from django.urls import path

from daihoi.delegates.views import badges as badge_views
from daihoi.delegates.views import checkin, credentials, roster
from daihoi.delegates.views import groups as group_views

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
    path("the/", badge_views.overview, name="badges"),
    path("the/in.pdf", badge_views.print_all, name="badges_pdf"),
    path("<int:pk>/the.pdf", badge_views.reprint, name="badge_pdf"),
    path("<int:pk>/the/cap/", badge_views.issue, name="badge_issue"),
    path("<int:pk>/the/thu-hoi/", badge_views.revoke, name="badge_revoke"),
    path("<int:pk>/the/cap-lai/", badge_views.replace, name="badge_replace"),
    path("<int:pk>/anh/", badge_views.photo, name="photo"),
    path("tham-tra/", credentials.worklist, name="credentials"),
    path("tham-tra/<int:pk>/ket-luan/", credentials.decide, name="credentials_decide"),
    path("tham-tra/don-thu/", credentials.complaint_add, name="complaint_add"),
    path(
        "tham-tra/don-thu/<int:pk>/xu-ly/", credentials.complaint_resolve, name="complaint_resolve"
    ),
    path("tham-tra/bao-cao/", credentials.report_page, name="credentials_report"),
    path("tham-tra/bao-cao.docx", credentials.report_docx, name="credentials_report_docx"),
    path("to/", group_views.GroupListView.as_view(), name="groups"),
    path("to/in/", group_views.print_page, name="groups_print"),
    path("to/danh-sach.docx", group_views.docx, name="groups_docx"),
    path("to/chia/", group_views.auto_divide, name="groups_divide"),
    path("to/them/", group_views.create, name="group_create"),
    path("to/chuyen/", group_views.move, name="group_move"),
    path("to/<int:pk>/sua/", group_views.update, name="group_update"),
    path("to/<int:pk>/xoa/", group_views.delete, name="group_delete"),
    path("to/<int:pk>/truong-pho/", group_views.leadership, name="group_leadership"),
]
