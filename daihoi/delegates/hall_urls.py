"""Hall tablets' sign-in, under /bieu-quyet/may-tinh-bang/ (daihoi/urls.py)."""

from django.urls import path

from daihoi.delegates.views import hall

app_name = "hall"
urlpatterns = [
    path("", hall.signin, name="signin"),
    path("dang-xuat/", hall.signout, name="signout"),
    path("cap-ma/", hall.desk, name="desk"),
    path("ma-cua-toi/", hall.my_code, name="my_code"),
]
