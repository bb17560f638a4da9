from django.urls import path

from daihoi.delegates.views import roster

app_name = "delegates"
urlpatterns = [
    path("", roster.DelegateListView.as_view(), name="list"),
    path("<int:pk>/", roster.DelegateDetailView.as_view(), name="detail"),
    path("nhap/", roster.import_upload, name="import"),
    path("nhap/xac-nhan/", roster.import_confirm, name="import_confirm"),
    path("xuat/", roster.export, name="export"),
]
