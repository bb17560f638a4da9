import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
django_asgi_app = get_asgi_application()

# These need Django set up first.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from daihoi.delegates.routing import websocket_urlpatterns as checkin_routes  # noqa: E402
from daihoi.voting.routing import websocket_urlpatterns as vote_routes  # noqa: E402

# Websockets carry the session cookie, so the user is known; the origin must be one of ours.
application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(checkin_routes + vote_routes))
        ),
    }
)
