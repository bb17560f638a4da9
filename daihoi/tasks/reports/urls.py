"""URL patterns of the report, ready to be included under the tasks prefix."""

from django.urls import path

from daihoi.tasks.reports import views

urlpatterns = [
    path("bao-cao/", views.report_page, name="task_report"),
    path("bao-cao/excel/", views.report_xlsx_download, name="task_report_xlsx"),
    path("bao-cao/word/", views.report_docx_download, name="task_report_docx"),
    path("bao-cao/csv/", views.report_csv_download, name="task_report_csv"),
]
urlpatterns += [
    path("don-doc/<int:unit_pk>/", views.reminder_page, name="task_reminder"),
    path("don-doc/<int:unit_pk>/du-thao/", views.reminder_draft, name="task_reminder_draft"),
    path("don-doc/<int:unit_pk>/ban-hanh/", views.reminder_issue, name="task_reminder_issue"),
]
