"""Every POST action of the API on a reservation, sent by every role with a personal token that may act: the right
ones act, the others are refused (404 to whoever may not see the reservation, 403 to whoever sees it but may not
act, 401 to a request without a token) and a refusal changes nothing. The same policy as the pages'
(tests/test_action_matrix.py), asked through the API."""

from __future__ import annotations

import json

import pytest
import time_machine

from api import services as api_services
from reservations.models import Reservation
from reservations.tests.conftest import NOW
from tests.test_action_matrix import DESK, HOLDER, NOT_VISIBLE, ROLES, WEEKDAYS, _setups

pytestmark = pytest.mark.django_db

API_ACTIONS = {
    "approve": "approve",
    "reject": "reject",
    "cancel": "cancel",
    "check_in": "check-in",
    "no_show": "no-show",
    "complete": "complete",
    "waive": "waive",
}
BODIES = {"reject": {"reason": "정비"}, "waive": {"reason": "병원"}, "cancel": {"accepted_charge_won": 10**9}}


@pytest.fixture
def tokens(people):
    return {
        role: api_services.token_create(user=user, name="matrix", scope="write", now=NOW)[1]
        for role, user in people.items()
        if user is not None
    }


@pytest.mark.parametrize("action", list(API_ACTIONS))
def test_each_role_may_post_an_action_through_the_api_only_where_the_policy_says(client, world, people, tokens, action):
    maker, staff = people["maker"], people["geumcheon_staff"]
    make, when, _data, done = _setups(world, maker, staff)[action]
    allowed = DESK if action in ("approve", "reject", "check_in", "no_show", "complete", "waive") else HOLDER
    wrong = {}
    for i, role in enumerate(ROLES):
        day = WEEKDAYS[i]
        r = make(day)
        before = Reservation.objects.get(pk=r.pk)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role in tokens else {}
        with time_machine.travel(when(day), tick=False):
            response = client.post(
                f"/api/v1/reservations/{r.pk}/{API_ACTIONS[action]}/",
                json.dumps(BODIES.get(action, {})),
                content_type="application/json",
                **headers,
            )
        after = Reservation.objects.get(pk=r.pk)
        if role in allowed:
            expected, changed = 200, True
        elif role == "anonymous":
            expected, changed = 401, False
        elif role in NOT_VISIBLE:
            expected, changed = 404, False
        else:
            expected, changed = 403, False
        unchanged = (after.status, after.charge_won, after.updated_at) == (
            before.status,
            before.charge_won,
            before.updated_at,
        )
        if response.status_code != expected or done(after) != changed or (not changed and not unchanged):
            wrong[role] = (response.status_code, expected, after.status)
    assert wrong == {}
