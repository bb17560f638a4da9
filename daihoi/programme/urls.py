from django.urls import path

from daihoi.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("them/", views.item_add, name="item_add"),
    path("<int:pk>/sua/", views.item_edit, name="item_edit"),
    path("<int:pk>/chuyen/", views.item_move, name="item_move"),
    path("<int:pk>/xoa/", views.item_delete, name="item_delete"),
    path("loi-dieu-hanh/", views.templates, name="templates"),
    path("loi-dieu-hanh/<slug:kind>/", views.template_save, name="template_save"),
    path("kich-ban.docx", views.script_docx, name="script_docx"),
]
