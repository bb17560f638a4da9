"""Public JSON API of the consultation: a captcha challenge and the comment itself, through the
same service as the form (services.intake: captcha, rate limits, durable commit). No sign-in and
no session, so no CSRF token either: the captcha is what a caller must pass."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from daihoi.consultation import captcha
from daihoi.consultation.services import intake
from daihoi.core.services.errors import InvalidInput

# Generous bounds for the parser; the service applies the real limits with Vietnamese messages.
_TEXT = {"required": False, "allow_blank": True, "trim_whitespace": False}


class CommentInSerializer(serializers.Serializer):
    draft = serializers.IntegerField(
        required=False, min_value=1, max_value=2**62,
        help_text=gettext_lazy("Dự thảo (hoặc article: tin bài)"),
    )  # fmt: skip
    article = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    section = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    paragraph = serializers.IntegerField(required=False, min_value=1, max_value=2**31)
    name = serializers.CharField(max_length=1000, **_TEXT)
    phone = serializers.CharField(max_length=100, **_TEXT)
    title = serializers.CharField(max_length=2000, **_TEXT)
    content = serializers.CharField(max_length=50_000, **_TEXT)
    captcha_key = serializers.CharField(max_length=100, **_TEXT)
    captcha = serializers.CharField(max_length=100, **_TEXT)
    website = serializers.CharField(max_length=1000, **_TEXT)


class ReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    created_at = serializers.DateTimeField()


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.CharField(), required=False)


class ChallengeSerializer(serializers.Serializer):
    key = serializers.CharField()
    image = serializers.CharField()


class _Public(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]


class CaptchaView(_Public):
    @extend_schema(operation_id="consultation_captcha", responses=ChallengeSerializer)
    def get(self, request):
        key = captcha.new_challenge()
        image = reverse("consultation:captcha_image", args=[key])
        return Response({"key": key, "image": image}, headers={"Cache-Control": "no-store"})


class CommentView(_Public):
    @extend_schema(
        operation_id="consultation_comment_create",
        request=CommentInSerializer,
        responses={
            201: ReceiptSerializer,
            400: ErrorSerializer,
            429: OpenApiResponse(ErrorSerializer, description="Gửi quá nhiều; xem Retry-After"),
        },
    )
    def post(self, request):
        serializer = CommentInSerializer(data=request.data)
        if not serializer.is_valid():
            return Response({"code": "bad_request", "detail": _("Dữ liệu gửi lên không hợp lệ."),
                             "errors": {k: str(v[0]) for k, v in serializer.errors.items()}},
                            status=400)  # fmt: skip
        data = serializer.validated_data
        try:
            comment = intake.submit_comment(
                intake.CommentData(
                    name=data.get("name", ""), title=data.get("title", ""),
                    content=data.get("content", ""), phone=data.get("phone", ""),
                    section_id=data.get("section"), paragraph_number=data.get("paragraph"),
                ),
                client_ip=intake.client_address(request.META),
                captcha_key=data.get("captcha_key", ""), captcha_answer=data.get("captcha", ""),
                honeypot=data.get("website", ""),
                draft_id=data.get("draft"), article_id=data.get("article"),
            )  # fmt: skip
        except intake.RateLimited as exc:
            return Response({"code": exc.code, "detail": exc.message}, status=429,
                            headers={"Retry-After": str(exc.retry_after)})  # fmt: skip
        except intake.CommentInvalid as exc:
            return Response({"code": exc.code, "detail": exc.message, "errors": exc.errors},
                            status=400)  # fmt: skip
        except InvalidInput as exc:
            return Response({"code": exc.code, "detail": exc.message}, status=400)
        return Response({"reference": comment.reference, "created_at": comment.created_at},
                        status=201)  # fmt: skip


urlpatterns = [
    path("consultation/captcha/", CaptchaView.as_view(), name="api-consultation-captcha"),
    path("consultation/comments/", CommentView.as_view(), name="api-consultation-comment"),
]
