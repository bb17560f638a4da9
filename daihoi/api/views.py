"""REST API under /api/: the same service functions and the same permissions as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from daihoi.api.serializers import (
    DocumentCreateSerializer,
    DocumentSerializer,
    ProgressSerializer,
    TaskSerializer,
)
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


class CanViewDocuments(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user.is_authenticated and user.has_perm("documents.view_document")):
            return False
        return request.method in permissions.SAFE_METHODS or user.has_perm("documents.add_document")


class DocumentViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [CanViewDocuments]

    def get_serializer_class(self):
        return DocumentCreateSerializer if self.action == "create" else DocumentSerializer

    def get_queryset(self):
        from daihoi.documents.models import Document, DocumentLink

        return (
            Document.objects.select_related("doc_type")
            .prefetch_related(
                Prefetch("outgoing_links", queryset=DocumentLink.objects.select_related("target"))
            )
            .order_by("-date", "-number")
        )

    @extend_schema(request=DocumentCreateSerializer, responses=DocumentSerializer)
    def create(self, request, *args, **kwargs):
        from daihoi.documents.services.register import register_document

        serializer = DocumentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            document = register_document(request.user, **serializer.validated_data)
        except ServiceError as exc:
            raise service_error(exc) from None
        return Response(DocumentSerializer(document).data, status=201)
