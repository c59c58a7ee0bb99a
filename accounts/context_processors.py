from __future__ import annotations

from accounts.roles import Role, user_roles


def roles(request):
    user = getattr(request, "user", None)
    names = user_roles(user)
    return {
        "user_roles": names,
        "is_city_admin": Role.CITY_ADMIN in names,
        "is_district_officer": Role.DISTRICT_OFFICER in names,
        "is_facility_staff": Role.FACILITY_STAFF in names,
        "is_maker": Role.MAKER in names,
    }
