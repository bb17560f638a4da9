"""Demo tasks: the 18 tasks of notice 2682-TB/TU with progress, submissions, returns and
approvals, so that every status of the grid shows on the dashboard. Idempotent.

The annotated tasks are read from ../shared/data/notices/2682-TB-TU.json when it is there (the
project's development data, not copied into the repository); without it the demo has only the
follow-up tasks below.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from daihoi.audit.services import record
from daihoi.core.models import Congress, Role, RoleAssignment, Unit, User
from daihoi.tasks.models import Task
from daihoi.tasks.services.create import TaskSpec, create_task
from daihoi.tasks.services.periodic import open_occurrences
from daihoi.tasks.services.progress import approve_step, post_progress, return_step, submit_product

NOTICE_JSON = Path(settings.BASE_DIR).parent / "shared" / "data" / "notices" / "2682-TB-TU.json"


def _sentence(text: str) -> str:
    """The annotated key phrases start mid-sentence; a title starts with a capital."""
    return text[:1].upper() + text[1:]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _actors():
    standing = User.objects.filter(role_assignments__role=Role.SUBCOMMITTEE_STANDING).first()
    liaisons = {
        ra.unit_id: ra.user
        for ra in RoleAssignment.objects.filter(role=Role.UNIT_LIAISON).select_related("user")
    }
    return standing, liaisons


def _liaison_for(task: Task, liaisons: dict, standing: User) -> User:
    for link in task.task_units.all():
        if link.role == "lead" and link.unit_id in liaisons:
            return liaisons[link.unit_id]
    return standing


@transaction.atomic
def load_demo_tasks() -> int:
    """Create the demo tasks once; returns how many were created."""
    from daihoi.documents.models import Document

    if Task.objects.exists():
        return 0
    congress = Congress.objects.filter(is_current=True).first()
    notice = Document.objects.filter(symbol="2682-TB/TU").first()
    standing, liaisons = _actors()
    created: list[Task] = []
    if NOTICE_JSON.exists():
        for item in json.loads(NOTICE_JSON.read_text(encoding="utf-8"))["tasks"]:
            deadline = item["deadline"]
            kind = deadline["kind"]
            spec = TaskSpec(
                title=_sentence(item.get("key") or item["text"][:120]),
                source_text=item["text"],
                lead_units=item["lead_units"] or ["Tiểu ban tổ chức phục vụ đại hội"],
                coordinating_units=item["coordinating_units"],
                deadline_kind=kind,
                deadline_date=dt.date.fromisoformat(deadline["date"]) if deadline["date"] else None,
                deadline_text=deadline["text"] or "",
                periodicity="monthly" if kind == "periodic" else "",
                approval_chain=item["approval_chain"],
            )
            created.append(
                create_task(
                    None, spec, document=notice, congress=congress, allow_past_deadline=True
                )
            )
        _play_history(created, standing, liaisons)
    created += _follow_up_tasks(congress, notice, standing, liaisons)
    open_occurrences()
    record(None, "demo.tasks_loaded", data={"count": len(created)})
    return len(created)


def _play_history(tasks: list[Task], standing: User, liaisons: dict) -> None:
    """Progress and decisions of summer 2020, re-dated to when they happened."""
    by_title = {t.title: t for t in tasks}

    def find(fragment: str) -> Task | None:
        return next((t for k, t in by_title.items() if fragment.lower() in k.lower()), None)

    film = find("phim phóng sự")
    if film:  # approved before 30/8/2020: done on time
        actor = _liaison_for(film, liaisons, standing)
        post_progress(actor, film, "Đã hoàn thành kịch bản và quay 80% cảnh.", 80)
        submit_product(actor, film, "Kính trình bản dựng hoàn chỉnh.")
        for step in film.approval_steps.order_by("order"):
            approve_step(standing, film, step, "Đồng ý.")
        _redate(film, dt.date(2020, 8, 20), dt.date(2020, 8, 28))
    decoration = find("bảo đảm thời gian, tiến độ")
    if decoration:  # month deadline 31/7/2020, approved in August: done late
        actor = _liaison_for(decoration, liaisons, standing)
        submit_product(actor, decoration)
        for step in decoration.approval_steps.order_by("order"):
            approve_step(standing, decoration, step)
        _redate(decoration, dt.date(2020, 7, 30), dt.date(2020, 8, 12))
    programme = find("chương trình chi tiết")
    if programme:  # returned with comments, still open: overdue
        actor = _liaison_for(programme, liaisons, standing)
        post_progress(actor, programme, "Đã có dự thảo chương trình và kịch bản.", 60)
        if programme.approval_steps.exists():
            submit_product(actor, programme)
            step = programme.approval_steps.get(order=1)
            return_step(standing, programme, step, "Bổ sung kịch bản bầu cử theo Quy chế.")
    press = find("trung tâm báo chí")
    if press:  # no deadline, done
        submit_product(_liaison_for(press, liaisons, standing), press)


def _redate(task: Task, submitted: dt.date, approved: dt.date) -> None:
    """Move a played-through approval back to the summer of 2020, steps included."""
    Task.objects.filter(pk=task.pk).update(submitted_at=_at(submitted), approved_at=_at(approved))
    task.approval_steps.update(decided_at=_at(approved))
    task.reports.update(created_at=_at(submitted))


def _follow_up_tasks(congress, notice, standing, liaisons) -> list[Task]:
    """Tasks due after today, so "within deadline" and "due soon" show too."""
    today = timezone.localdate()
    btg = Unit.objects.filter(name="Ban Tuyên giáo Thành ủy").first()
    office = Unit.objects.filter(name="Văn phòng Thành ủy").first()
    if not btg or not office:
        return []
    specs = [
        TaskSpec(
            title="Báo cáo tổng hợp ý kiến nhân dân góp ý dự thảo văn kiện",
            lead_units=[btg],
            deadline_kind="date",
            deadline_date=today + dt.timedelta(days=5),
            deadline_text=f"trước ngày {today + dt.timedelta(days=5):%d/%m/%Y}",
            deliverable="Báo cáo tổng hợp",
            approval_chain=["Tiểu ban", "Thường trực Thành ủy"],
        ),
        TaskSpec(
            title="Lập danh mục hồ sơ lưu trữ tài liệu đại hội",
            lead_units=[office],
            deadline_kind="month",
            deadline_date=today + dt.timedelta(days=40),
            deadline_text="trong tháng sau",
            deliverable="Danh mục hồ sơ",
        ),
    ]
    return [create_task(None, s, document=notice, congress=congress) for s in specs]
