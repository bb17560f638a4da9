import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402  (needs Django set up first)

# Websocket routes join here as the live screens (check-in, votes) arrive.
application = ProtocolTypeRouter({"http": django_asgi_app})
