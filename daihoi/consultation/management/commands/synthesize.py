"""`daihoi synthesize COMMENTS.csv [--json] [--seed N]`: synthesis of public comments.

The CSV is UTF-8 (with or without BOM) with the header ``id,section,content`` (in any order;
other columns are ignored). The engine is :mod:`daihoi.consultation.synthesis`; the command never
touches the database. JSON output::

    {"duplicates": [[ids]], "campaigns": [[ids]],
     "groups": [{"section", "terms", "ids", "representative", "size"}],
     "agreement": [ids], "empty": [ids],
     "sections": [{"section", "comments", "agreement", ...}]}

Ids are printed as they appear in the file. Bad input gives one Vietnamese line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from daihoi.consultation.synthesis import synthesize

REQUIRED = ("id", "section", "content")
MAX_FIELD = 100_000  # characters in one cell; a comment form allows far less


class _InputError(Exception):
    pass


def _read_text(path: str) -> str:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise _InputError(_("Không có tệp «%(path)s».") % {"path": path}) from None
    except IsADirectoryError:
        raise _InputError(
            _("«%(path)s» là thư mục, không phải tệp CSV.") % {"path": path}
        ) from None
    except PermissionError:
        raise _InputError(_("Không có quyền đọc tệp «%(path)s».") % {"path": path}) from None
    except OSError as exc:
        raise _InputError(
            _("Không đọc được tệp «%(path)s»: %(reason)s.")
            % {"path": path, "reason": exc.strerror or exc}
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _InputError(
            _("Tệp không phải UTF-8 (dòng %(line)d); hãy lưu lại dạng CSV UTF-8.") % {"line": line}
        ) from None
    if not text.strip():  # nothing, or only a BOM and blank lines
        raise _InputError(_("Tệp «%(path)s» rỗng.") % {"path": path})
    nul = text.find("\x00")
    if nul >= 0:  # a binary file, and PostgreSQL text cannot hold NUL anyway
        line = text.count("\n", 0, nul) + 1
        raise _InputError(
            _("Tệp có ký tự NUL ở dòng %(line)d: không phải tệp CSV văn bản.") % {"line": line}
        )
    return text


def read_rows(path: str) -> list[tuple[str, str, str]]:
    """Rows (id, section, content) of the CSV file; _InputError with a Vietnamese message."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(_read_text(path), newline=""), strict=True)
    rows: list[tuple[str, str, str]] = []
    line = 0
    try:
        header = next(reader, [])
        names = [h.strip().lower() for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise _InputError(
                _("Dòng tiêu đề thiếu cột %(missing)s; cần id,section,content.")
                % {"missing": ", ".join(missing)}
            )
        where = [names.index(c) for c in REQUIRED]
        seen: dict[str, int] = {}
        for record in reader:
            line = reader.line_num
            if not record or record == [""]:
                continue
            if len(record) != len(names):
                raise _InputError(
                    _("Dòng %(line)d có %(got)d cột, tiêu đề có %(want)d.")
                    % {"line": line, "got": len(record), "want": len(names)}
                )
            row_id, section, content = (record[i] for i in where)
            row_id, section = row_id.strip(), section.strip()
            if not row_id:
                raise _InputError(_("Dòng %(line)d thiếu id.") % {"line": line})
            if not section:
                raise _InputError(_("Dòng %(line)d thiếu section.") % {"line": line})
            if row_id in seen:
                raise _InputError(
                    _("Dòng %(line)d: id «%(id)s» trùng với dòng %(first)d.")
                    % {"line": line, "id": row_id, "first": seen[row_id]}
                )
            seen[row_id] = line
            rows.append((row_id, section, content))
    except csv.Error as exc:
        if "field larger" in str(exc):
            message = _("Dòng %(line)d có ô dài quá %(limit)s ký tự.") % {
                "line": reader.line_num,
                "limit": f"{MAX_FIELD:,}".replace(",", "."),
            }
        else:
            message = _(
                "Tệp CSV hỏng ở dòng %(line)d (dấu ngoặc kép không khớp hoặc sai định dạng)."
            ) % {"line": reader.line_num}
        raise _InputError(message) from None
    if not rows:
        raise _InputError(_("Tệp «%(path)s» không có ý kiến nào.") % {"path": path})
    return rows


class Command(BaseCommand):
    help = _("Tổng hợp ý kiến góp ý từ tệp CSV (cột id,section,content).")
    requires_system_checks: list = []
    requires_migrations_checks = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> NoReturn:
            self._fail(
                _("tham số dòng lệnh không hợp lệ (%(message)s). Xem: daihoi synthesize --help")
                % {"message": message}
            )

        parser.error = error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=_("Tệp CSV các ý kiến (UTF-8)."))
        parser.add_argument("--json", action="store_true", help=_("In kết quả dạng JSON."))
        parser.add_argument(
            "--seed", default="0", metavar="N", help=_("Hạt giống ngẫu nhiên (mặc định 0).")
        )

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(_("Lỗi: %(message)s") % {"message": message})
        raise SystemExit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            seed = int(str(options["seed"]).strip())
            if not 0 <= seed < 2**32:
                raise ValueError
        except ValueError:
            self._fail(
                _("--seed phải là số nguyên từ 0 đến 4294967295, nhận «%(seed)s».")
                % {"seed": options["seed"]}
            )
        try:
            rows = read_rows(options["path"])
        except _InputError as exc:
            self._fail(str(exc))
        result = synthesize(rows, seed=seed)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False))
            return
        for section in result.sections:
            self.stdout.write(
                _(
                    "Mục «%(section)s»: %(comments)d ý kiến, %(agreement)d nhất trí chung, "
                    "%(dups)d nhóm trùng lặp, %(campaigns)d chiến dịch, %(groups)d nhóm chủ đề."
                )
                % {
                    "section": section.section,
                    "comments": section.comments,
                    "agreement": len(section.agreement),
                    "dups": len(section.duplicates),
                    "campaigns": len(section.campaigns),
                    "groups": len(section.groups),
                }
            )
            for group in section.groups:
                self.stdout.write(
                    _("  %(size)d ý kiến: %(terms)s")
                    % {"size": len(group.ids), "terms": ", ".join(group.terms) or "—"}
                )
