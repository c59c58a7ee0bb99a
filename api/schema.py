"""How the OpenAPI schema names the personal token (imported when the app is ready)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token made on the portal's profile page (Your profile → API tokens): "
            "`Authorization: Bearer apt_…`. It acts as its user, with their role; a read-only token cannot change "
            "anything.",
        }
