"""The agreed ballots of a round as the CSV that `daihoi tally` reads (elections/ballot_csv.py),
so that anyone can recount a round independently of the database and compare with the minutes.

UTF-8 without a BOM; the header is the column ``invalid`` and the names in ballot order; one row
per agreed paper ballot, in sheet order (sheet numbers are not written); cells ``1`` kept /
agree, ``0`` struck / disagree, empty neither box, ``2`` both boxes; ``invalid`` holds the
counting board's reason code (``not_issued``, ``marked``) or is empty. The ``invalid`` column is
always written: it also keeps a one-candidate ballot with neither box from being a blank line.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from daihoi.core.services.errors import InvalidInput
from daihoi.elections.ballot_csv import INVALID_COLUMN
from daihoi.elections.models import ElectionRound, RoundStatus
from daihoi.elections.services.counting import round_names
from daihoi.elections.services.entry import entry_state

# BallotEntry.marks characters → CSV cells ("-" neither box is an empty cell).
CELLS = {"1": "1", "0": "0", "2": "2", "-": ""}


def ballots_csv(round_: ElectionRound) -> bytes:
    """Every agreed ballot of a counted (or sealed) round."""
    if round_.status == RoundStatus.ENTRY:
        raise InvalidInput(
            _("Lần bầu này chưa kiểm phiếu, chưa xuất được các lá phiếu."), code="not_counted"
        )
    names = round_names(round_)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([INVALID_COLUMN, *names])
    for _sheet, entry in sorted(entry_state(round_).agreed.items()):
        cells = [CELLS[ch] for ch in entry.marks] if entry.marks else [""] * len(names)
        writer.writerow([entry.board_reason, *cells])
    return buffer.getvalue().encode("utf-8")
