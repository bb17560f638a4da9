from django.urls import path

from daihoi.documents.views import files, register

app_name = "documents"

urlpatterns = [
    path("", register.DocumentListView.as_view(), name="list"),
    path("moi/", register.DocumentCreateView.as_view(), name="create"),
    path("kiem-tra-so-ky-hieu/", register.check_symbol, name="check_symbol"),
    path("<int:pk>/", register.DocumentDetailView.as_view(), name="detail"),
    path("<int:pk>/dinh-kem/", files.AttachmentUploadView.as_view(), name="attach"),
    path("<int:pk>/lien-ket/", files.DocumentLinkView.as_view(), name="link"),
    path("dinh-kem/<int:pk>/tai-ve/", files.AttachmentDownloadView.as_view(), name="download"),
]
