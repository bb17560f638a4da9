"""`daihoi tally BALLOTS.csv --seats N --base B [--kind strike|agree|single] [--issued I] [--json]`.

Counts ballots from a CSV file (layout in `daihoi.elections.ballot_csv`) with the engine in
`daihoi.elections`; it never touches the database. JSON output:

    {"seats", "base", "ballots_collected", "valid", "invalid": {reason: count},
     "candidates": [{"name", "votes", "percent_of_base"}], "elected": [...], "tied": [...],
     "unfilled": n}

``percent_of_base`` is a number rounded half up to two decimals (99.27); ``invalid`` lists only
reasons that occurred; ``elected`` is in descending vote order, ``tied`` in ballot order.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from daihoi.elections import BallotKind, CountingError, tally
from daihoi.elections.ballot_csv import BallotFileError
from daihoi.elections.fast_csv import count_ballot_file
from daihoi.elections.report import result_json, result_lines


class _TallyError(Exception):
    pass


def _positive(value: str | None, option: str, *, zero: bool = False) -> int:
    if value is None:
        raise _TallyError(f"Thiếu {option}.")
    try:
        number = int(value.strip())
    except ValueError:
        raise _TallyError(f"{option} phải là số nguyên, nhận «{value}».") from None
    if number < (0 if zero else 1):
        raise _TallyError(f"{option} phải {'không âm' if zero else 'lớn hơn 0'}, nhận {number}.")
    return number


class Command(BaseCommand):
    help = "Kiểm phiếu từ tệp CSV: mỗi dòng một lá phiếu, mỗi cột một người trong danh sách."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> NoReturn:
            # One line, no usage block: the option names are in the message.
            self._fail(f"tham số dòng lệnh không hợp lệ ({message}). Xem: daihoi tally --help")

        parser.error = error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Tệp CSV các lá phiếu (UTF-8).")
        parser.add_argument("--seats", metavar="N", help="Số lượng cần bầu (bắt buộc).")
        parser.add_argument(
            "--base", metavar="B", help="Số đại biểu làm cơ sở tính quá một nửa (bắt buộc)."
        )
        parser.add_argument(
            "--kind",
            default="strike",
            metavar="strike|agree|single",
            help="Loại phiếu: gạch tên (mặc định), đồng ý / không đồng ý, một người.",
        )
        parser.add_argument(
            "--issued", metavar="I", help="Số phiếu phát ra (kiểm tra: thu vào ≤ phát ra)."
        )
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(f"Lỗi: {message}")
        raise SystemExit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            seats = _positive(options["seats"], "--seats")
            base = _positive(options["base"], "--base")
            issued = options["issued"]
            issued = None if issued is None else _positive(issued, "--issued", zero=True)
            try:
                kind = BallotKind(options["kind"].strip().lower())
            except ValueError:
                raise _TallyError(
                    f"--kind «{options['kind']}» không có; dùng strike, agree hoặc single."
                ) from None
            # Large machine-written files are counted as one array; the result is the same.
            counted = count_ballot_file(options["path"], kind, seats)
            result = tally(counted.ballots, counted.candidates, seats, base, kind, issued=issued)
        except (_TallyError, BallotFileError, CountingError) as exc:
            self._fail(str(exc))
        if result.problems:
            self._fail("; ".join(p.message for p in result.problems))
        if options["json"]:
            self.stdout.write(json.dumps(result_json(result), ensure_ascii=False, indent=1))
            return
        for line in result_lines(result):
            self.stdout.write(line)
