from daihoi.tasks.models.notifications import Notification
from daihoi.tasks.models.progress import Occurrence, ProgressFile, ProgressReport
from daihoi.tasks.models.tasks import (
    ApprovalStep,
    DeadlineKind,
    Periodicity,
    StepState,
    Task,
    TaskState,
    TaskUnit,
    UnitRole,
)

__all__ = [
    "ApprovalStep",
    "DeadlineKind",
    "Notification",
    "Occurrence",
    "Periodicity",
    "ProgressFile",
    "ProgressReport",
    "StepState",
    "Task",
    "TaskState",
    "TaskUnit",
    "UnitRole",
]
