"""Private uploads: category evidence, tenant applications' documents, payment evidence, monthly reports.

They live outside MEDIA_ROOT (PRIVATE_MEDIA_ROOT), under random names, and have no URL: nginx never serves
them by path. A view asks the policy, then answers with `private_file_response`: behind nginx an
`X-Accel-Redirect` to its `internal` location (the file is sent by nginx), without it Django streams the file.
Either way it is a download that never runs in the browser.
"""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse
from django.utils.encoding import escape_uri_path
from django.utils.functional import cached_property

from common import pagecache


class PrivateStorage(FileSystemStorage):
    """Files nobody may fetch by address; see the module's docstring."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("a private file has no address; serve it through a view that asks the policy")


def private_storage():
    return storages["private"]


def random_upload_name(folder: str, filename: str) -> str:
    """Keep only the file's extension: nothing about a file's owner or content can be guessed from its name."""
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""
    return f"{folder}/{secrets.token_hex(16)}{suffix}"


def private_file_response(field_file, *, download_name: str, content_type: str | None = None) -> HttpResponse:
    """A download of a private file to someone the calling view has already checked."""
    content_type = content_type or mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = escape_uri_path(prefix.rstrip("/") + "/" + field_file.name)
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(download_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def move_into_private_storage(model, fields: list[str], folder: str) -> None:
    """For a data migration: files a model's rows kept in the public MEDIA_ROOT move to the private storage under
    random names (old guessable names such as evidence/<user>/<category>.pdf must stop existing)."""
    public, private = storages["default"], storages["private"]
    for row in model.objects.all().iterator():
        changed = {}
        for field in fields:
            name = getattr(row, field).name if getattr(row, field) else ""
            if not name or not public.exists(name):
                continue
            with public.open(name, "rb") as src:
                changed[field] = private.save(random_upload_name(folder, name), src)
            public.delete(name)
        if changed:
            model.objects.filter(pk=row.pk).update(**changed)
            pagecache.touch()  # update() sends no signal
