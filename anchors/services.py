from __future__ import annotations

from django.db import transaction

from .models import Anchor

STAFF_EDITABLE_FIELDS = ("phone", "email", "website", "description_ko", "description_en")


@transaction.atomic
def anchor_update_public_info(
    *, anchor: Anchor, phone: str, email: str, website: str, description_ko: str, description_en: str
) -> Anchor:
    """What an anchor's own staff may change about its public page; history is kept by simple_history."""
    anchor = Anchor.objects.select_for_update().get(pk=anchor.pk)
    anchor.phone = phone.strip()
    anchor.email = email.strip()
    anchor.website = website.strip()
    anchor.description_ko = description_ko.strip()
    anchor.description_en = description_en.strip()
    anchor.full_clean()
    anchor.save(update_fields=[*STAFF_EDITABLE_FIELDS, "updated_at"])
    return anchor
