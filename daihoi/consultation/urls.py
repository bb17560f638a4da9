"""Public pages (drafts, news, the comment form) and staff pages (drafts, moderation, synthesis)."""

from daihoi.consultation.urls_public import urlpatterns as public
from daihoi.consultation.urls_staff import urlpatterns as staff

app_name = "consultation"
urlpatterns = public + staff
