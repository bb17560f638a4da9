from django.urls import path

from daihoi.bodies import views

app_name = "bodies"
urlpatterns = [
    path("", views.index, name="index"),
    path("de-xuat/", views.propose, name="propose"),
    path("thanh-vien/<int:pk>/bot/", views.remove_member, name="remove_member"),
    path("<int:pk>/thong-qua/", views.approve, name="approve"),
    path("bieu-quyet/", views.votes, name="votes"),
]
