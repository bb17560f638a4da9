from django.urls import path

from daihoi.delegates.live import CounterConsumer

websocket_urlpatterns = [
    path("ws/diem-danh/<int:session_id>/", CounterConsumer.as_asgi()),
]
