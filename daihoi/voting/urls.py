from django.urls import path

from daihoi.voting import views

app_name = "voting"
urlpatterns = [
    path("", views.vote_list, name="list"),
    path("<int:pk>/", views.vote_detail, name="detail"),
    path("<int:pk>/bo-phieu/", views.cast, name="cast"),
    path("<int:pk>/dieu-hanh/<str:action>/", views.step, name="step"),
    path("<int:pk>/may-chieu/", views.projector, name="projector"),
    path("<int:pk>/so-lieu/", views.figures, name="figures"),
]
