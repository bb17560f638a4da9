from django.urls import path

from daihoi.elections.views import rounds, setup

app_name = "elections"
urlpatterns = [
    path("", setup.election_list, name="list"),
    path("<int:pk>/", setup.election_detail, name="detail"),
    path("<int:pk>/them-ten/", setup.candidate_add, name="candidate_add"),
    path("<int:pk>/rut-ten/", setup.candidate_withdraw, name="candidate_withdraw"),
    path("<int:pk>/ban-kiem-phieu/", setup.board_appoint, name="board_appoint"),
    path("<int:pk>/mo-lan-bau/", setup.round_open, name="round_open"),
    path("<int:pk>/phieu.pdf", setup.ballots_pdf, name="ballots_pdf"),
    path("vong/<int:pk>/", rounds.round_page, name="round"),
    path("vong/<int:pk>/nhap/", rounds.entry, name="entry"),
    path("vong/<int:pk>/huy-to/", rounds.discard, name="discard"),
    path("vong/<int:pk>/kiem-phieu/", rounds.count, name="count"),
    path("vong/<int:pk>/nhap-tong/", rounds.entry_totals, name="entry_totals"),
    path("vong/<int:pk>/huy-tong/", rounds.discard_totals_view, name="discard_totals"),
    path("vong/<int:pk>/kiem-phieu-tong/", rounds.count_totals_view, name="count_totals"),
    path("vong/<int:pk>/niem-phong/", rounds.seal, name="seal"),
    path("vong/<int:pk>/bau-tiep/", rounds.next_round, name="next_round"),
    path("vong/<int:pk>/bien-ban.docx", rounds.minutes_docx, name="minutes_docx"),
    path("vong/<int:pk>/bien-ban.pdf", rounds.minutes_pdf, name="minutes_pdf"),
    path("vong/<int:pk>/phieu.csv", rounds.ballots_csv, name="ballots_csv"),
]
