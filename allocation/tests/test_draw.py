"""The draw's algorithm alone (allocation/draw.py): deterministic given the seed and the applications, checkable
from what is published, and fair to the declared weights."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from allocation import draw as pure

SEED = "5" * 64
ENTRIES = [
    {"applicant": "aaa", "weight": "1", "choices": ["s1", "s2"]},
    {"applicant": "bbb", "weight": "2", "choices": ["s1"]},
    {"applicant": "ccc", "weight": "1", "choices": ["s2", "s1"]},
    {"applicant": "ddd", "weight": "1/2", "choices": ["s1", "s2"]},
]
PLACES = {"s1": 1, "s2": 1}


def run(seed=SEED, entries=ENTRIES, places=PLACES, wins=1, refused=()):
    return pure.run(
        seed=seed, entries=entries, places=places, wins_per_maker=wins, may_take=lambda a, s: (a, s) not in refused
    )


def published(outcome, seed=SEED, entries=ENTRIES, places=PLACES, wins=1):
    return {
        "window": {"category_weights": {"district_resident": 2}, "recent_win_days": 30},
        "seed": seed,
        "seed_hash": pure.sha256_hex(seed),
        "applications_digest": pure.applications_digest(entries, places, wins),
        "entries": entries,
        "places": places,
        "wins_per_maker": wins,
        "refusals": outcome.refused,
        "result": outcome.as_json(),
    }


def test_the_same_seed_and_applications_give_the_same_result():
    assert run().as_json() == run().as_json()
    assert len(run().won) == 2  # two places, both given
    assert sorted(w["slot"] for w in run().won) == ["s1", "s2"]


def test_another_seed_gives_another_order():
    orders = {tuple(run(seed=f"{i:064x}").order) for i in range(30)}
    assert len(orders) > 5


def test_a_changed_application_list_changes_the_digest_and_so_the_draw():
    changed = [dict(e) for e in ENTRIES]
    changed[0] = {**changed[0], "choices": ["s2", "s1"]}
    assert pure.applications_digest(changed, PLACES, 1) != pure.applications_digest(ENTRIES, PLACES, 1)
    added = [*ENTRIES, {"applicant": "eee", "weight": "1", "choices": ["s1"]}]
    assert pure.applications_digest(added, PLACES, 1) != pure.applications_digest(ENTRIES, PLACES, 1)
    # the random numbers hang on the digest: the same applicant draws another number
    digest_a = pure.applications_digest(ENTRIES, PLACES, 1)
    digest_b = pure.applications_digest(added, PLACES, 1)
    assert pure.draw_key(SEED, digest_a, "aaa", "1") != pure.draw_key(SEED, digest_b, "aaa", "1")


def test_a_published_draw_verifies_and_any_tampering_is_found():
    outcome = run(refused={("bbb", "s1")})
    data = published(outcome)
    assert pure.verify(data).ok
    assert not pure.verify({**data, "seed": "6" * 64}).seed_matches
    moved = [dict(e) for e in ENTRIES]
    moved[1] = {**moved[1], "weight": "3"}
    assert not pure.verify({**data, "entries": moved}).digest_matches
    swapped = {**data, "result": {**data["result"], "won": list(reversed(data["result"]["won"]))}}
    assert not pure.verify(swapped).result_matches
    assert not pure.verify({**data, "refusals": []}).result_matches


def test_refused_choices_pass_to_the_next_choice_and_are_listed():
    everyone_refused_s1 = {(e["applicant"], "s1") for e in ENTRIES}
    outcome = run(refused=everyone_refused_s1)
    assert all(w["slot"] == "s2" for w in outcome.won) and len(outcome.won) == 1
    assert all(pair[1] == "s1" for pair in outcome.refused)


def test_wins_per_maker_gives_second_slots_only_after_everyone_had_a_turn():
    entries = [
        {"applicant": "aaa", "weight": "1", "choices": ["s1", "s2", "s3"]},
        {"applicant": "bbb", "weight": "1", "choices": ["s1", "s2", "s3"]},
    ]
    outcome = run(entries=entries, places={"s1": 1, "s2": 1, "s3": 1}, wins=2)
    wins = Counter(w["applicant"] for w in outcome.won)
    assert sorted(wins.values()) == [1, 2]
    first, second = outcome.order
    assert [w["applicant"] for w in outcome.won] == [first, second, first]


def test_weights_are_fair_over_many_draws():
    """An entry of weight 2 comes first about twice as often as one of weight 1 (Efraimidis–Spirakis); 3,000
    simulated draws keep the share within 0.04 of 2/3 (about 5 standard deviations)."""
    entries = [
        {"applicant": "heavy", "weight": "2", "choices": ["s"]},
        {"applicant": "light", "weight": "1", "choices": ["s"]},
    ]
    wins = Counter(
        run(seed=pure.sha256_hex(f"seed-{i}"), entries=entries, places={"s": 1}).won[0]["applicant"]
        for i in range(3000)
    )
    assert abs(wins["heavy"] / 3000 - 2 / 3) < 0.04


def test_equal_weights_are_equal_over_many_draws_whatever_the_names():
    entries = [{"applicant": name, "weight": "1", "choices": ["s"]} for name in ("000", "555", "aaa", "fff")]
    wins = Counter(
        run(seed=pure.sha256_hex(f"even-{i}"), entries=entries, places={"s": 1}).won[0]["applicant"]
        for i in range(4000)
    )
    assert all(abs(n / 4000 - 0.25) < 0.035 for n in wins.values()) and len(wins) == 4


def test_the_standalone_checker_runs_without_the_portal(tmp_path):
    outcome = run()
    good = tmp_path / "draw.json"
    good.write_text(json.dumps(published(outcome)))
    script = Path(pure.__file__)
    ok = subprocess.run([sys.executable, str(script), str(good)], capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout.count("yes") == 4
    pinned = subprocess.run(
        [sys.executable, str(script), "--seed-hash", pure.sha256_hex(SEED), str(good)], capture_output=True, text=True
    )
    assert pinned.returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**published(outcome), "seed": "0" * 64}))
    failed = subprocess.run([sys.executable, str(script), str(bad)], capture_output=True, text=True, cwd=tmp_path)
    assert failed.returncode == 1 and "NO" in failed.stdout


def test_a_draw_redone_with_another_seed_and_its_own_hash_fails_against_the_hash_published_in_advance():
    """Someone who swaps the seed, recomputes its hash, the digest and the result makes a file that agrees with
    itself; it still fails against the hash the window showed before anyone applied."""
    other = "7" * 64
    forged = published(run(seed=other), seed=other)
    assert pure.verify(forged).ok  # self-consistent
    assert not pure.verify(forged, seed_hash=pure.sha256_hex(SEED)).seed_matches


def test_a_weight_the_window_did_not_declare_is_found():
    inflated = [dict(e) for e in ENTRIES]
    inflated[0] = {**inflated[0], "weight": "5"}
    data = published(run(entries=inflated), entries=inflated)
    check = pure.verify(data)
    assert check.digest_matches and check.result_matches and not check.weights_match and not check.ok
    without_recent = {
        **published(run()),
        "window": {"category_weights": {"district_resident": 2}, "recent_win_days": 0},
    }
    assert not pure.verify(without_recent).weights_match  # "1/2" needs the recent-wins rule


def test_a_file_that_is_not_a_draw_matches_nothing_and_never_raises():
    for junk in ({}, {"seed": 1}, {**published(run()), "entries": [{"applicant": "a", "weight": "0", "choices": []}]}):
        assert pure.verify(junk) == pure.NOTHING_MATCHES
