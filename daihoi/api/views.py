"""REST API under /api/: the same service functions and the same permissions as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from daihoi.api.serializers import ProgressSerializer, TaskSerializer
from daihoi.core.services.errors import NotAllowed, ServiceError
from daihoi.tasks.models import ApprovalStep, Task, TaskUnit
from daihoi.tasks.services.progress import post_progress


class CanViewTasks(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user.is_authenticated and request.user.has_perm("tasks.view_dashboard"))


def service_error(exc: ServiceError):
    if isinstance(exc, NotAllowed):
        return PermissionDenied({"code": exc.code, "detail": exc.message})
    return ValidationError({"code": exc.code, "detail": exc.message})


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskSerializer
    permission_classes = [CanViewTasks]

    def get_queryset(self):
        return (
            Task.objects.visible_to(self.request.user)
            .select_related("document")
            .prefetch_related(
                Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit")),
                Prefetch("approval_steps", queryset=ApprovalStep.objects.order_by("order")),
            )
            .order_by("pk")
        )

    def get_object(self):
        task = super().get_object()  # 404 outside the user's scope
        if not self.request.user.has_perm("tasks.view_task", task):
            raise Http404
        return task

    @extend_schema(request=ProgressSerializer, responses=ProgressSerializer)
    @action(detail=True, methods=["get", "post"], serializer_class=ProgressSerializer)
    def progress(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            reports = task.reports.order_by("-created_at")
            return Response(ProgressSerializer(reports, many=True).data)
        serializer = ProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = post_progress(
                request.user,
                task,
                serializer.validated_data["text"],
                serializer.validated_data["percent"],
            )
        except ServiceError as exc:
            raise service_error(exc) from None
        return Response(ProgressSerializer(report).data, status=201)
