"""Django REST framework's own messages that the API can answer with. DRF ships Korean as "ko_KR" only, which
Django does not use for the portal's "ko"; marked here, `make messages` keeps them in the portal's catalogue
(locale/ko), where they are translated."""

from django.utils.translation import gettext_noop

DRF_MESSAGES = (
    gettext_noop("Not found."),
    gettext_noop("Invalid cursor"),
    gettext_noop('Method "{method}" not allowed.'),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("You do not have permission to perform this action."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Malformed request."),
)
