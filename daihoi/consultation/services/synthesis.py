"""Synthesis of a draft's comments inside the app (tổng hợp ý kiến): background jobs with
progress, the results written to the database, and the staff's work on the topic groups.

A job reads the comments of one section at a time from the database (received and accepted,
never hidden), in keyset-paginated chunks, runs the engine (`daihoi.consultation.synthesis`) on
that section and writes the result in one transaction per section: a section is either written
whole or left as it was. A full run replaces the section's groups (a staff label or note moves to
the new group that holds most of the old group's comments); an incremental run sends only the
comments newer than the section's saved state through the engine's `assign` and leaves every
earlier assignment alone. Comments on the whole draft (no section) have no saved state and are
synthesised again in full by every run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import rules
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.consultation import synthesis as engine
from daihoi.consultation.models import (
    Comment,
    CommentStatus,
    Draft,
    JobStatus,
    Section,
    SynthesisJob,
    SynthesisState,
    TopicGroup,
)
from daihoi.core.services.errors import InvalidInput, NotAllowed
from daihoi.vietnamese import collapse_whitespace, nfc

__all__ = [
    "Timeline",
    "counts_over_time",
    "merge_groups",
    "run_job",
    "set_group_note",
    "split_group",
    "start_job",
]

log = logging.getLogger(__name__)

COUNTED = (CommentStatus.RECEIVED, CommentStatus.ACCEPTED)
READ_CHUNK = 5000  # comments per query when reading a section
WRITE_CHUNK = 900  # ids per UPDATE … WHERE id IN (…), below SQLite's variable limit
STALE_AFTER = dt.timedelta(hours=6)  # a job "running" longer than this has died
LABEL_MAX, NOTE_MAX, TERMS_MAX = 300, 5000, 12
SEED_MAX = 2**31 - 1  # numpy and scikit-learn take seeds below 2**32
KEEP_NOTE_SHARE = 0.5  # a note follows its comments when half of them stay together
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
# Share of a section's progress reached after reading its comments and after the engine.
READ_SHARE, ENGINE_SHARE = 0.1, 0.8


def _require(actor) -> None:
    if not rules.has_perm("consultation.synthesize", actor):
        raise NotAllowed(_("Đồng chí không có quyền tổng hợp ý kiến."))


# --- jobs ---


@transaction.atomic
def start_job(actor, draft: Draft, *, incremental: bool = False, seed: int = 0) -> SynthesisJob:
    """Queue a synthesis of the draft; it runs in the background (inline without a broker)
    once this transaction commits. One job per draft at a time."""
    _require(actor)
    if not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise InvalidInput(
            _("Hạt giống phải là số nguyên từ 0 đến %(max)d.") % {"max": SEED_MAX}, code="bad_seed"
        )
    Draft.objects.select_for_update().get(pk=draft.pk)  # two clicks make one job
    running = SynthesisJob.objects.filter(draft=draft, status__in=ACTIVE)
    stale = running.filter(created_at__lt=timezone.now() - STALE_AFTER)
    stale.update(
        status=JobStatus.FAILED, finished_at=timezone.now(),
        message=_("Lượt tổng hợp không kết thúc sau %(hours)d giờ; đã dừng.")
        % {"hours": STALE_AFTER.seconds // 3600 + STALE_AFTER.days * 24},
    )  # fmt: skip
    if running.exists():
        raise InvalidInput(
            _("Đang có một lượt tổng hợp dự thảo này; hãy chờ lượt đó xong."), code="job_running"
        )
    job = SynthesisJob.objects.create(
        draft=draft, incremental=incremental, seed=seed, created_by=actor
    )
    record(actor, "consultation.synthesis_started", job, {"incremental": incremental})

    from daihoi.consultation.tasks import run_synthesis  # the task module imports this one

    transaction.on_commit(lambda: run_synthesis.delay(job.pk))
    return job


@dataclass
class _Totals:
    comments: int = 0
    groups: int = 0
    duplicates: int = 0
    campaign: int = 0
    agreement: int = 0
    notes_dropped: int = 0


def run_job(job_id: int) -> SynthesisJob:
    """Run a queued job to its end ("done" or "failed"); a job already taken is left alone."""
    claimed = SynthesisJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    job = SynthesisJob.objects.select_related("draft", "created_by").get(pk=job_id)
    if not claimed:
        return job
    partitions = _partitions(job.draft)
    totals = _Totals()
    current: Section | None = None
    try:
        for done, section in enumerate(partitions):
            current = section
            step = _stepper(job.pk, done, len(partitions))
            state = _state(section)
            if job.incremental and state is not None:
                _incremental(section, state, totals, step)
            else:
                _full(section, job.draft_id, job.seed, totals, step)
            step(1.0)
    except Exception as exc:  # noqa: BLE001 — any failure ends the job, with its section
        log.exception("synthesis job %s failed", job.pk)
        where = str(current) if current is not None else _("góp ý chung cho toàn văn")
        message = _(
            "Lượt tổng hợp dừng ở mục «%(section)s» do lỗi (%(error)s). Các mục đã tổng hợp "
            "trước đó được giữ; mục này giữ kết quả của lượt trước."
        ) % {"section": where, "error": type(exc).__name__}
        _finish(job, JobStatus.FAILED, message, totals)
        return job
    if job.incremental:
        message = _(
            "Đã tổng hợp thêm %(comments)d ý kiến mới ở %(sections)d mục, đưa vào các nhóm đã "
            "có (%(groups)d nhóm mới): %(duplicates)d ý kiến trùng lặp, %(campaign)d ý kiến "
            "thuộc đợt gửi hàng loạt, %(agreement)d ý kiến nhất trí chung."
        )
    else:
        message = _(
            "Đã tổng hợp %(comments)d ý kiến ở %(sections)d mục: %(groups)d nhóm ý kiến, "
            "%(duplicates)d ý kiến trùng lặp, %(campaign)d ý kiến thuộc đợt gửi hàng loạt, "
            "%(agreement)d ý kiến nhất trí chung."
        )
    message %= {"sections": len(partitions), **totals.__dict__}
    if totals.notes_dropped:
        message += " " + _(
            "%(n)d ghi chú của nhóm cũ không còn nhóm tương ứng nên không được giữ."
        ) % {"n": totals.notes_dropped}
    _finish(job, JobStatus.DONE, message, totals)
    return job


def _stepper(job_id: int, done: int, total: int):
    """Progress inside the section `done` of `total`: after reading its comments, after the
    engine and after writing. Written outside the section's transaction, so the page sees it."""

    def step(fraction: float) -> None:
        percent = min(99, int((done + fraction) * 100 / total))
        SynthesisJob.objects.filter(pk=job_id, progress__lt=percent).update(progress=percent)

    return step


def _finish(job: SynthesisJob, status: str, message: str, totals: _Totals) -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    if status == JobStatus.DONE:
        job.progress = 100
    else:
        job.progress = SynthesisJob.objects.get(pk=job.pk).progress
    job.save(update_fields=["status", "message", "finished_at", "progress"])
    action = "finished" if status == JobStatus.DONE else "failed"
    record(job.created_by, f"consultation.synthesis_{action}", job, totals.__dict__)


def _partitions(draft: Draft) -> list[Section | None]:
    """The sections that have comments to synthesise, in the draft's order; None stands for
    the comments on the whole draft."""
    comments = Comment.objects.filter(version__draft=draft, status__in=COUNTED)
    with_comments = set(comments.order_by().values_list("section", flat=True).distinct())
    sections = Section.objects.filter(pk__in=[pk for pk in with_comments if pk is not None])
    ordered: list[Section | None] = list(sections.order_by("version__number", "position"))
    if None in with_comments:
        ordered.append(None)
    return ordered


def _state(section: Section | None) -> SynthesisState | None:
    if section is None:
        return None
    return SynthesisState.objects.filter(section=section).first()


def _comments(section: Section | None, draft_id: int):
    """The comments of one partition that the synthesis reads (never hidden ones)."""
    return Comment.objects.filter(
        version__draft_id=draft_id, section=section, status__in=COUNTED
    ).order_by()


def _read(comments, after: int = 0) -> Iterator[tuple[int, str]]:
    """(id, content) in id order, a chunk per query: no server-side cursor needed."""
    last = after
    while True:
        chunk = list(
            comments.filter(pk__gt=last).order_by("pk").values_list("pk", "content")[:READ_CHUNK]
        )
        if not chunk:
            return
        yield from chunk
        last = chunk[-1][0]


def _update(ids: Iterable[int], **values) -> None:
    ids = list(ids)
    for start in range(0, len(ids), WRITE_CHUNK):
        Comment.objects.filter(pk__in=ids[start : start + WRITE_CHUNK]).update(**values)


def _duplicate_of(groups: Iterable[list[int]]) -> dict[int, int]:
    """Each duplicate points at the earliest comment of its group."""
    pointers: dict[int, int] = {}
    for ids in groups:
        first = min(ids)
        pointers.update((pk, first) for pk in ids if pk != first)
    return pointers


def _write_pointers(pointers: dict[int, int]) -> None:
    by_target: dict[int, list[int]] = {}
    for pk, target in pointers.items():
        by_target.setdefault(target, []).append(pk)
    rows = [Comment(pk=pk, duplicate_of_id=target) for pk, target in pointers.items()]
    if len(by_target) * 4 < len(rows):  # few large groups: one UPDATE per group is cheaper
        for target, ids in by_target.items():
            _update(ids, duplicate_of_id=target)
    else:
        Comment.objects.bulk_update(rows, ["duplicate_of"], batch_size=WRITE_CHUNK)


# --- a full run of one section ---


def _full(section: Section | None, draft_id: int, seed: int, totals: _Totals, step) -> None:
    items = list(_read(_comments(section, draft_id)))
    step(READ_SHARE)
    name = str(section.pk) if section is not None else "chung"
    result = engine.synthesize_section(name, items, seed=seed, keep_model=section is not None)
    step(ENGINE_SHARE)
    with transaction.atomic():
        _write_full(section, draft_id, result, items, totals)


def _old_annotations(section: Section | None, draft_id: int) -> dict[int, tuple[str, str, set]]:
    groups = TopicGroup.objects.filter(section=section, draft_id=draft_id).filter(
        ~Q(label="") | ~Q(note="")
    )
    old = {g.pk: (g.label, g.note, set()) for g in groups}
    if old:
        members = Comment.objects.filter(group__in=list(old)).values_list("group_id", "pk")
        for group_id, pk in members.iterator(chunk_size=READ_CHUNK):
            old[group_id][2].add(pk)
    return old


def _write_full(section, draft_id: int, result, items, totals: _Totals) -> None:
    old = _old_annotations(section, draft_id)
    scope = Comment.objects.filter(version__draft_id=draft_id, section=section)
    scope.update(group=None, duplicate_of=None, in_campaign=False, is_agreement=False)
    TopicGroup.objects.filter(section=section, draft_id=draft_id).delete()
    created = TopicGroup.objects.bulk_create(
        [
            TopicGroup(draft_id=draft_id, section=section, terms=group.terms[:TERMS_MAX],
                       representative_id=group.representative)
            for group in result.groups
        ]
    )  # fmt: skip
    for row, group in zip(created, result.groups, strict=True):
        _update(group.ids, group_id=row.pk)
    _carry_annotations(old, created, result.groups, totals)
    pointers = _duplicate_of(result.duplicates)
    _write_pointers(pointers)
    campaign = [pk for ids in result.campaigns for pk in ids]
    _update(campaign, in_campaign=True)
    _update(result.agreement, is_agreement=True)
    if section is not None:
        _save_state(section, result.model, len(items), max((pk for pk, _t in items), default=0))
    totals.comments += len(items)
    totals.groups += len(created)
    totals.duplicates += len(pointers)
    totals.campaign += len(campaign)
    totals.agreement += len(result.agreement)


def _carry_annotations(old, created, groups, totals: _Totals) -> None:
    """A staff label or note goes to the new group holding most of the old group's comments,
    when that is at least KEEP_NOTE_SHARE of them; otherwise it is counted as dropped."""
    if not old:
        return
    where = {pk: index for index, group in enumerate(groups) for pk in group.ids}
    for label, note, members in old.values():
        votes = Counter(where[pk] for pk in members if pk in where)
        if not votes:
            totals.notes_dropped += 1
            continue
        index, count = votes.most_common(1)[0]
        target = created[index]
        if count < KEEP_NOTE_SHARE * len(members) or target.label or target.note:
            totals.notes_dropped += 1
            continue
        target.label, target.note = label, note
        target.save(update_fields=["label", "note", "updated_at"])


def _save_state(section: Section, model, count: int, last: int) -> None:
    SynthesisState.objects.update_or_create(
        section=section,
        defaults={"data": model.to_bytes(), "comment_count": count, "last_comment_id": last},
    )


# --- an incremental run of one section ---


def _incremental(section: Section, state: SynthesisState, totals: _Totals, step) -> None:
    items = list(_read(_comments(section, section.version.draft_id), after=state.last_comment_id))
    if not items:
        return
    step(READ_SHARE)
    model = engine.SectionModel.from_bytes(bytes(state.data))
    placed = engine.assign(model, items)
    step(ENGINE_SHARE)
    with transaction.atomic():
        _write_incremental(section, model, placed, totals)
        _save_state(section, model, state.comment_count + len(items), max(pk for pk, _t in items))
    totals.comments += len(items)


def _write_incremental(section, model, placed, totals: _Totals) -> None:
    new_ids = {item.id for item in placed}
    topics = {p.group for p in placed if p.group is not None}
    groups, created = _groups_of_topics(section, model, topics)
    by_group: dict[int, list[int]] = {}
    pointers: dict[int, int] = {}
    campaign: set[int] = set()
    agreement = [p.id for p in placed if p.kind == "agreement"]
    for item in placed:
        if item.kind != "comment":
            continue
        by_group.setdefault(groups[item.group], []).append(item.id)
        if item.duplicates:
            first = min([item.id, *item.duplicates])
            if first != item.id:
                pointers[item.id] = first
            if len(item.duplicates) + 1 >= model.campaign_size:
                # The group has grown into a campaign: its earlier members are flagged too.
                campaign.update([item.id, *item.duplicates])
    for group_id, ids in by_group.items():
        _update(ids, group_id=group_id)
    _write_pointers(pointers)
    _update(sorted(campaign), in_campaign=True)
    _update(agreement, is_agreement=True)
    totals.groups += created
    totals.duplicates += len(pointers)
    totals.campaign += len(campaign & new_ids)
    totals.agreement += len(agreement)


def _groups_of_topics(section: Section, model, topics: set[int]) -> tuple[dict[int, int], int]:
    """The database group of each engine topic: the group that now holds the topic's
    representative comment, so staff merges and splits are followed. A topic whose
    representative is in no group gets a new group. Returns (mapping, groups created)."""
    representatives = {t: model.representatives[t] for t in topics}
    where = dict(
        Comment.objects.filter(pk__in=set(representatives.values()), group__isnull=False)
        .values_list("pk", "group_id")
    )  # fmt: skip
    mapping: dict[int, int] = {}
    created = 0
    for topic, representative in representatives.items():
        group_id = where.get(representative)
        if group_id is None:
            created += 1
            group = TopicGroup.objects.create(
                draft_id=section.version.draft_id, section=section,
                terms=list(model.topics.terms[topic])[:TERMS_MAX],
                representative_id=representative,
            )  # fmt: skip
            group_id = group.pk
            # The representative joins its group, so the next run finds this group again.
            Comment.objects.filter(pk=representative, group__isnull=True).update(group=group)
        mapping[topic] = group_id
    return mapping, created


# --- the staff's work on the groups ---


def _clean_text(text: str | None, limit: int, what: str) -> str:
    clean = nfc(text or "").strip()
    if len(clean) > limit:
        raise InvalidInput(
            _("%(what)s dài quá %(max)d ký tự.") % {"what": what, "max": limit}, code="too_long"
        )
    return clean


@transaction.atomic
def set_group_note(
    actor, group: TopicGroup, *, label: str | None = None, note: str | None = None
) -> TopicGroup:
    """Name a group and write its note (ý kiến tổng hợp); None leaves a field as it is."""
    _require(actor)
    group = TopicGroup.objects.select_for_update().get(pk=group.pk)
    before = {"label": group.label, "note": group.note}
    if label is not None:
        group.label = collapse_whitespace(_clean_text(label, LABEL_MAX, _("Tên nhóm")))
    if note is not None:
        group.note = _clean_text(note, NOTE_MAX, _("Ghi chú"))
    group.save(update_fields=["label", "note", "updated_at"])
    after = {"label": group.label, "note": group.note}
    record(actor, "consultation.group_annotated", group, {"before": before, "after": after})
    return group


@transaction.atomic
def merge_groups(actor, target: TopicGroup, sources: Iterable[TopicGroup]) -> TopicGroup:
    """Move every comment of `sources` into `target` and delete the sources; all must be
    groups of the same section. Terms are joined; the sources' notes are kept under the
    target's."""
    _require(actor)
    source_ids = sorted({g.pk for g in sources} - {target.pk})
    if not source_ids:
        raise InvalidInput(_("Hãy chọn ít nhất một nhóm khác để gộp."), code="nothing_selected")
    locked = {
        g.pk: g
        for g in TopicGroup.objects.select_for_update()
        .filter(pk__in=[target.pk, *source_ids])
        .order_by("pk")
    }
    if len(locked) != len(source_ids) + 1:
        raise InvalidInput(_("Có nhóm không còn tồn tại."), code="missing")
    target = locked[target.pk]
    others = [locked[pk] for pk in source_ids]
    if any(g.section_id != target.section_id or g.draft_id != target.draft_id for g in others):
        raise InvalidInput(_("Chỉ gộp được các nhóm của cùng một mục."), code="other_section")
    moved = Comment.objects.filter(group_id__in=source_ids).update(group=target)
    terms = list(target.terms)
    for group in others:
        terms += [t for t in group.terms if t not in terms]
    target.terms = terms[:TERMS_MAX]
    notes = [target.note, *(g.note for g in others)]
    target.note = "\n\n".join(n for n in notes if n)[:NOTE_MAX]
    if target.representative_id is None:
        target.representative_id = next(
            (g.representative_id for g in others if g.representative_id), None
        )
    target.save(update_fields=["terms", "note", "representative", "updated_at"])
    TopicGroup.objects.filter(pk__in=source_ids).delete()
    record(
        actor, "consultation.groups_merged", target,
        {"sources": source_ids, "labels": [str(g) for g in others], "moved": moved},
    )  # fmt: skip
    return target


@transaction.atomic
def split_group(actor, group: TopicGroup, comment_ids: Iterable, label: str = "") -> TopicGroup:
    """Move the chosen comments of `group` into a new group of the same section."""
    _require(actor)
    group = TopicGroup.objects.select_for_update().get(pk=group.pk)
    try:
        wanted = {int(pk) for pk in comment_ids}
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("Danh sách ý kiến không hợp lệ."), code="bad_ids") from exc
    members = set(Comment.objects.filter(group=group).values_list("pk", flat=True))
    moving = sorted(wanted & members)
    if not moving:
        raise InvalidInput(_("Hãy chọn ý kiến của nhóm này để tách."), code="nothing_selected")
    if len(moving) == len(members):
        raise InvalidInput(
            _("Không tách được cả nhóm; hãy để lại ít nhất một ý kiến."), code="split_all"
        )
    name = collapse_whitespace(_clean_text(label, LABEL_MAX, _("Tên nhóm")))
    new = TopicGroup.objects.create(
        draft_id=group.draft_id, section_id=group.section_id, label=name,
        representative_id=moving[0],
    )  # fmt: skip
    for start in range(0, len(moving), WRITE_CHUNK):
        Comment.objects.filter(pk__in=moving[start : start + WRITE_CHUNK]).update(group=new)
    if group.representative_id in moving:
        group.representative_id = min(members - set(moving))
        group.save(update_fields=["representative", "updated_at"])
    record(
        actor, "consultation.group_split", group,
        {"new_group": new.pk, "moved": len(moving), "ids": moving, "label": name},
    )  # fmt: skip
    return new


# --- figures ---


@dataclass
class Timeline:
    """Comments received per day (rows) and section (columns); hidden comments left out."""

    sections: list[Section | None]
    rows: list[tuple[dt.date, list[int], int]] = field(default_factory=list)

    @property
    def totals(self) -> list[int]:
        return [sum(row[1][i] for row in self.rows) for i in range(len(self.sections))]


def counts_over_time(draft: Draft) -> Timeline:
    counts = (
        Comment.objects.filter(version__draft=draft, status__in=COUNTED).order_by()
        .annotate(day=TruncDate("created_at")).values("day", "section")
        .annotate(n=Count("pk"))
    )  # fmt: skip
    table: dict[dt.date, dict[int | None, int]] = {}
    for row in counts:
        table.setdefault(row["day"], {})[row["section"]] = row["n"]
    keys = {key for day in table.values() for key in day}
    sections: list[Section | None] = list(
        Section.objects.filter(pk__in=[k for k in keys if k is not None]).order_by(
            "version__number", "position"
        )
    )
    if None in keys:
        sections.append(None)
    timeline = Timeline(sections)
    for day in sorted(table):
        values = [table[day].get(s.pk if s else None, 0) for s in sections]
        timeline.rows.append((day, values, sum(values)))
    return timeline
