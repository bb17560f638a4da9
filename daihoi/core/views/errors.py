"""Error pages in Vietnamese: no 403, 404, 500 or CSRF failure shows Django's English page."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def _error(request, status: int, title: str, message: str):
    return render(request, "errors/error.html", {"title": title, "message": message}, status=status)


def csrf_failure(request, reason: str = ""):
    return _error(
        request,
        403,
        _("Phiên làm việc đã thay đổi"),
        _("Trang đã cũ hoặc phiên làm việc đã hết hạn. Hãy tải lại trang rồi thử lại."),
    )


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("Không có quyền truy cập"),
        _("Tài khoản của đồng chí không có quyền mở trang này."),
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Không tìm thấy trang"),
        _("Trang này không tồn tại hoặc đồng chí không có quyền xem."),
    )


def server_error(request):
    return _error(
        request,
        500,
        _("Lỗi hệ thống"),
        _("Hệ thống gặp lỗi khi xử lý yêu cầu. Dữ liệu đã nhập không bị mất; hãy thử lại sau."),
    )
