from __future__ import annotations

from .selectors import unread_count


def unread(request):
    return {"unread_notifications": unread_count(user=getattr(request, "user", None))}
