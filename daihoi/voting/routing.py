from django.urls import path

from daihoi.voting.live import VoteCountersConsumer

websocket_urlpatterns = [
    path("ws/bieu-quyet/<int:vote_id>/", VoteCountersConsumer.as_asgi()),
]
