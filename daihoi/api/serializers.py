from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

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
