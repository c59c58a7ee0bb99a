from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import Role, has_role
from anchors import seed
from anchors.policy import may

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_one_per_role_with_their_scope_and_passwords_are_printed_once(settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    seed.load()
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "@demo.anchors.example" in line]
    assert len(lines) == 4
    from accounts.models import User

    staff = User.objects.get(email="staff.geumcheon@demo.anchors.example")
    officer = User.objects.get(email="officer.guro@demo.anchors.example")
    assert has_role(staff, Role.FACILITY_STAFF) and has_role(officer, Role.DISTRICT_OFFICER)
    from anchors.models import Anchor

    assert may(staff, "anchors.change_anchor", Anchor.objects.get(slug="geumcheon"))
    password = lines[-1].split()[-1]
    assert User.objects.get(email="maker@demo.anchors.example").check_password(password)
    again = StringIO()
    call_command("create_demo_accounts", stdout=again)
    assert "@demo" not in again.getvalue() and "already exist" in again.getvalue()


def test_demo_accounts_are_refused_when_debug_is_off(settings):
    settings.DEMO_ACCOUNTS_ENABLED = False
    with pytest.raises(CommandError):
        call_command("create_demo_accounts")
