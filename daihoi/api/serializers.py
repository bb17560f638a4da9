from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from daihoi.documents.models import Document
from daihoi.tasks import status
from daihoi.tasks.models import ApprovalStep, ProgressReport, Task, TaskUnit


class TaskUnitSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = TaskUnit
        fields = ["unit", "name", "role"]


class ApprovalStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovalStep
        fields = ["id", "order", "body_text", "state", "decided_at", "comment"]


class TaskSerializer(serializers.ModelSerializer):
    units = TaskUnitSerializer(source="task_units", many=True, read_only=True)
    approval_chain = ApprovalStepSerializer(source="approval_steps", many=True, read_only=True)
    document = serializers.CharField(source="document.symbol", default=None, read_only=True)
    grid = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id", "title", "document", "source_text", "deliverable", "deadline_kind",
            "deadline_date", "deadline_text", "periodicity", "state", "percent", "submitted_at",
            "approved_at", "grid", "units", "approval_chain",
        ]  # fmt: skip

    def get_grid(self, task) -> str:
        return status.task_status(task, timezone.localdate())


class ProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "task", "unit", "text", "percent", "created_at"]
        read_only_fields = ["id", "task", "unit", "created_at"]


class DocumentSerializer(serializers.ModelSerializer):
    doc_type = serializers.CharField(source="doc_type.code", read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "symbol", "system", "number", "doc_type", "issuer_code", "term", "in_congress",
            "date", "place", "summary", "signer", "signer_capacity", "signer_title", "secrecy",
            "urgency", "links",
        ]  # fmt: skip
        read_only_fields = ["number", "issuer_code", "system", "in_congress"]

    def get_links(self, document) -> list[dict]:
        return [
            {"kind": link.kind, "target": link.target.symbol}
            for link in document.outgoing_links.all()
        ]


class DocumentCreateSerializer(serializers.Serializer):
    symbol = serializers.CharField(max_length=60)
    date = serializers.DateField()
    summary = serializers.CharField(max_length=2000)
    place = serializers.CharField(max_length=100, required=False, default="Hà Nội")
    signer = serializers.CharField(max_length=150, required=False, default="")
    term = serializers.CharField(max_length=20, required=False, default="")
