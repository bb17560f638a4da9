from django.urls import include, path

from daihoi.tasks.views import dashboard, notifications, proposals, tasks

urlpatterns = [
    path("", tasks.TaskListView.as_view(), name="task_list"),
    path("moi/", tasks.task_create, name="task_create"),
    path("tong-hop/", dashboard.dashboard, name="task_dashboard"),
    path("de-xuat/<int:document_pk>/", proposals.propose_tasks, name="propose_tasks"),
    path("de-xuat/them-don-vi/", proposals.add_unit_to_directory, name="add_unit_to_directory"),
    path("don-vi/<int:unit_pk>/", dashboard.unit_dashboard, name="unit_dashboard"),
    path("<int:pk>/", tasks.task_detail, name="task_detail"),
    path("<int:pk>/sua/", tasks.task_edit, name="task_edit"),
    path("<int:pk>/tach/", tasks.task_split, name="task_split"),
    path("<int:pk>/tien-do/", tasks.task_progress, name="task_progress"),
    path("<int:pk>/trinh/", tasks.task_submit, name="task_submit"),
    path("<int:pk>/phe-duyet/<int:step_pk>/", tasks.task_decide, name="task_decide"),
    path("tep/<int:pk>/", tasks.progress_file, name="progress_file"),
    path("thong-bao/", notifications.notification_list, name="notification_list"),
    path("thong-bao/da-doc/", notifications.notifications_read, name="notifications_read"),
    path("", include("daihoi.tasks.reports.urls")),
]
