"""Property: any single cell typed differently by the second member is caught — the sheet is
listed as differing, and nothing is counted until it is typed again."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daihoi.core.services.errors import InvalidInput
from daihoi.elections.models import BallotEntry
from daihoi.elections.services import setup
from daihoi.elections.services.batch import enter_batch
from daihoi.elections.services.counting import count_round
from daihoi.elections.services.entry import entry_state, sheet_rows
from tests.elections.test_entry_and_seal import hall  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
FLIP = {"0": "1", "1": "0"}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    sheets=st.lists(st.text(alphabet="01", min_size=4, max_size=4), min_size=1, max_size=12),
    data=st.data(),
)
def test_any_single_differing_cell_is_caught(hall, staff, sheets, data):  # noqa: F811
    election, board = hall
    BallotEntry.objects.filter(round__election=election).delete()
    election.rounds.all().delete()
    round_ = setup.open_first_round(staff, election)
    target = data.draw(st.integers(0, len(sheets) - 1), label="sheet")
    cell = data.draw(st.integers(0, 3), label="cell")
    first = [(n, marks, "") for n, marks in enumerate(sheets, start=1)]
    second = list(first)
    marks = sheets[target]
    second[target] = (target + 1, marks[:cell] + FLIP[marks[cell]] + marks[cell + 1 :], "")
    enter_batch(board[0], round_, 1, first)
    enter_batch(board[1], round_, 2, second)
    rows = sheet_rows(round_)
    assert (rows.differences, rows.waiting, len(rows.agreed)) == (1, 0, len(sheets) - 1)
    assert [sheet for sheet, _a, _b in entry_state(round_).differences] == [target + 1]
    with pytest.raises(InvalidInput) as caught:
        count_round(board[0], round_)
    assert caught.value.code == "differences"
