"""Import a delegate list: validate every row (errors with row numbers), then save in ONE
transaction, or nothing at all. Re-importing updates delegates by their stable import key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit.services import record
from daihoi.core.models import Congress
from daihoi.core.services.errors import NotAllowed
from daihoi.core.services.units import UnitDirectory
from daihoi.core.uploads import TABLE_KINDS, check_upload
from daihoi.delegates.models import Delegate
from daihoi.delegates.rules import can_manage_delegates
from daihoi.delegates.services import columns as c
from daihoi.delegates.services.tables import Table, read_table
from daihoi.vietnamese import fold

PREVIEW_ROWS = 10
LABELS = dict(c.COLUMNS)


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Preview:
    headers: list[str]
    mapping: dict[str, str]
    rows: list[list[Any]]
    header_row: int
    problems: list[RowError] = field(default_factory=list)  # header problems, shown before import


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.errors


def _table(uploaded: UploadedFile) -> Table:
    checked = check_upload(uploaded, TABLE_KINDS)
    return read_table(uploaded, checked.name, frozenset(c.HEADER_NAMES))


def preview(uploaded_file: UploadedFile) -> Preview:
    """Headers, the guessed mapping (field -> header) and the first rows, for the user to check."""
    table = _table(uploaded_file)
    rows = [cells for _n, cells in table.rows[:PREVIEW_ROWS]]
    problems = [RowError(n, m) for n, m in table.problems]
    return Preview(table.headers, c.guess_mapping(table.headers), rows, table.header_row, problems)


def _key(full_name: str, birth_date) -> str:
    return f"{fold(full_name)}|{birth_date.isoformat()}"


def _parse_row(number: int, cells: list[Any], columns: dict[str, int], table: Table):
    """One row as field values, or the list of its errors."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    readers = {
        "number": c.read_number,
        "gender": lambda v: c.read_choice(v, c.GENDERS, _("Giới tính")),
        "birth_date": c.read_date,
        "category": lambda v: c.read_choice(v, c.CATEGORIES, _("Loại đại biểu")),
        "is_committee_member": c.read_bool,
    }
    for name, col in columns.items():
        if (number, col) in table.formulas:
            errors.append(RowError(number, _("Ô «%(col)s» là công thức chưa có giá trị tính sẵn; "
                                             "hãy mở tệp bằng Excel, lưu lại rồi nhập.")
                                   % {"col": LABELS[name]}))  # fmt: skip
            continue
        raw = cells[col] if col < len(cells) else None
        if raw is None:
            if name in c.REQUIRED:
                errors.append(RowError(number, _("Thiếu «%(col)s».") % {"col": LABELS[name]}))
            continue
        try:
            values[name] = readers.get(name, c.read_text)(raw)
        except c.CellError as exc:
            errors.append(RowError(number, str(exc)))
    return values, errors


def validate(
    table: Table, mapping: dict[str, str]
) -> tuple[list[tuple[int, dict]], list[RowError]]:
    errors = [RowError(n, m) for n, m in table.problems]
    index = {h: i for i, h in enumerate(table.headers) if h}
    columns = {f: index[h] for f, h in mapping.items() if f in LABELS and h in index}
    missing = [LABELS[f] for f in c.REQUIRED if f not in columns]
    if missing:
        message = _("Không tìm thấy cột bắt buộc: %(cols)s.") % {"cols": ", ".join(missing)}
        return [], [*errors, RowError(table.header_row, message)]
    parsed: list[tuple[int, dict]] = []
    people: dict[str, int] = {}
    keys: dict[str, int] = {}
    numbers: dict[int, int] = {}
    for number, cells in table.rows:
        values, row_errors = _parse_row(number, cells, columns, table)
        errors.extend(row_errors)
        if row_errors:
            continue
        person = _key(values["full_name"], values["birth_date"])
        key = values.get("import_key") or person
        values["import_key"] = key
        if person in people:
            message = _("Trùng người với dòng %(other)s (cùng họ tên và ngày sinh).")
            errors.append(RowError(number, message % {"other": people[person]}))
            continue
        if key in keys:
            errors.append(RowError(number, _("Trùng mã đại biểu với dòng %(other)s.")
                                   % {"other": keys[key]}))  # fmt: skip
            continue
        if "number" in values and values["number"] in numbers:
            errors.append(RowError(number, _("Trùng số thứ tự với dòng %(other)s.")
                                   % {"other": numbers[values["number"]]}))  # fmt: skip
            continue
        people[person], keys[key] = number, number
        if "number" in values:
            numbers[values["number"]] = number
        parsed.append((number, values))
    return parsed, errors


def import_delegates(
    actor, congress: Congress, uploaded_file: UploadedFile, mapping: dict[str, str] | None = None
) -> ImportResult:
    """Validate every row, then create or update all delegates in one transaction.

    `mapping` maps a field name (see columns.COLUMNS) to a header of the file; None = guessed.
    Nothing is saved when any row has an error.
    """
    if not can_manage_delegates(actor):
        raise NotAllowed(_("Đồng chí không có quyền nhập danh sách đại biểu."))
    table = _table(uploaded_file)
    mapping = mapping if mapping is not None else c.guess_mapping(table.headers)
    parsed, errors = validate(table, mapping)
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: e.row))
    with transaction.atomic():
        return _save(actor, congress, parsed, uploaded_file.name or "")


def _save(actor, congress: Congress, parsed: list[tuple[int, dict]], name: str) -> ImportResult:
    existing = {
        d.import_key: d for d in Delegate.objects.select_for_update().filter(congress=congress)
    }
    taken = {d.number: d.import_key for d in existing.values()}
    directory = UnitDirectory()
    next_number = (Delegate.objects.filter(congress=congress).aggregate(m=Max("number"))["m"]
                   or 0) + 1  # fmt: skip
    new, changed, errors = [], [], []
    changed_fields: set[str] = set()
    for row, values in parsed:
        if "party_unit" in values:  # keep the text as written, link the unit when recognised
            text = values.pop("party_unit")
            unit = directory.find(text)
            values["party_unit_text"], values["party_unit_id"] = text, unit.pk if unit else None
        key = values["import_key"]
        delegate = existing.get(key)
        if "number" in values and taken.get(values["number"], key) != key:
            errors.append(RowError(row, _("Số thứ tự %(n)s đã thuộc đại biểu khác.")
                                   % {"n": values["number"]}))  # fmt: skip
            continue
        if delegate is None:
            if "number" not in values:
                while next_number in taken:
                    next_number += 1
                values["number"] = next_number
            taken[values["number"]] = key
            new.append(Delegate(congress=congress, **values))
            continue
        diff = {n: v for n, v in values.items() if getattr(delegate, n) != v}
        if diff:
            for name_, value in diff.items():
                setattr(delegate, name_, value)
            delegate.updated_at = timezone.now()  # bulk_update skips auto_now
            changed.append(delegate)
            changed_fields.update(n.removesuffix("_id") for n in diff)
    if errors:
        transaction.set_rollback(True)
        return ImportResult(errors=errors)
    Delegate.objects.bulk_create(new, batch_size=500)
    if changed:
        fields = sorted(changed_fields) + ["updated_at"]
        Delegate.objects.bulk_update(changed, fields, batch_size=500)
    unchanged = len(parsed) - len(new) - len(changed)
    record(actor, "delegates.imported", congress,
           {"file": name, "created": len(new), "updated": len(changed),
            "unchanged": unchanged})  # fmt: skip
    return ImportResult(created=len(new), updated=len(changed), unchanged=unchanged)
