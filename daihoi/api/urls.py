from rest_framework.routers import DefaultRouter

from daihoi.api.consultation import urlpatterns as consultation_urls
from daihoi.api.views import DocumentViewSet, TaskViewSet

router = DefaultRouter()
router.register("tasks", TaskViewSet, basename="api-task")
router.register("documents", DocumentViewSet, basename="api-document")
urlpatterns = router.urls + consultation_urls
