from django.urls import path

from daihoi.delegates import views

app_name = "delegates"
urlpatterns = [
    path("", views.DelegateListView.as_view(), name="list"),
    path("nhap/", views.import_upload, name="import"),
    path("nhap/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("xuat/", views.export, name="export"),
]
