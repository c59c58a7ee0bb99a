"""The lottery's draw, pure and standalone: given the seed, the anonymised applications, the places of each slot
and the choices the booking rules refused at the draw, the result is fixed. It imports nothing from the portal, so
anyone can check a published draw with Python alone:

    python draw.py draw.json        # the file from the draw's page; prints what matches and exits 1 if not
    python draw.py --seed-hash <the hash shown when the window was declared> draw.json

The algorithm (`weighted-serial-v1`):
1. The applications digest is the SHA-256 of the canonical JSON (sorted keys, no spaces, ASCII) of
   {"entries", "places", "wins_per_maker"}; entries are sorted by applicant and each lists its choices by rank.
2. Each applicant draws u = (int(SHA-256("<seed>:<digest>:<applicant>")) + 1) / 2^256, so no one can steer
   their number without changing the digest, and the seed was fixed (its hash published) before anyone applied.
3. Applicants are ordered by ln(u) / weight, largest first (Efraimidis and Spirakis' weighted random order: an
   entry of weight 2 is first twice as often as one of weight 1); ties by applicant.
4. In rounds up to `wins_per_maker`, each applicant in that order takes their best-ranked choice that still has a
   place, that they have not won already and that the booking rules did not refuse them.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

ALGORITHM = "weighted-serial-v1"


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def applications_digest(entries: list[dict[str, Any]], places: dict[str, int], wins_per_maker: int) -> str:
    return sha256_hex(canonical({"entries": entries, "places": places, "wins_per_maker": wins_per_maker}))


def draw_key(seed: str, digest: str, applicant: str, weight: str) -> float:
    """ln(u) / weight: the larger, the earlier the applicant chooses."""
    h = int(sha256_hex(f"{seed}:{digest}:{applicant}"), 16)
    u = (h + 1) / 2**256
    return math.log(u) / float(Fraction(weight))


def draw_order(seed: str, digest: str, entries: list[dict[str, Any]]) -> list[str]:
    keyed = [(draw_key(seed, digest, e["applicant"], e["weight"]), e["applicant"]) for e in entries]
    keyed.sort(key=lambda k: (-k[0], k[1]))
    return [applicant for _key, applicant in keyed]


@dataclass
class Outcome:
    order: list[str]
    won: list[dict[str, Any]] = field(default_factory=list)  # {"applicant", "slot", "rank"} in the order taken
    refused: list[list[str]] = field(default_factory=list)  # [applicant, slot] the rules refused when it was asked

    def as_json(self) -> dict[str, Any]:
        return {"order": self.order, "won": self.won}


def run(
    *,
    seed: str,
    entries: list[dict[str, Any]],
    places: dict[str, int],
    wins_per_maker: int,
    may_take: Callable[[str, str], bool],
) -> Outcome:
    """The draw. `may_take(applicant, slot)` books the slot for them (at the draw) or answers from the published
    refusals (when checking it); it is asked only for a slot with a place left."""
    digest = applications_digest(entries, places, wins_per_maker)
    outcome = Outcome(order=draw_order(seed, digest, entries))
    choices = {e["applicant"]: list(e["choices"]) for e in entries}
    left = dict(places)
    won: dict[str, set[str]] = {a: set() for a in choices}
    asked: set[tuple[str, str]] = set()
    for round_ in range(1, wins_per_maker + 1):
        for applicant in outcome.order:
            if len(won[applicant]) >= round_:
                continue
            for rank, slot in enumerate(choices[applicant], start=1):
                if slot in won[applicant] or left.get(slot, 0) <= 0 or (applicant, slot) in asked:
                    continue
                asked.add((applicant, slot))
                if not may_take(applicant, slot):
                    outcome.refused.append([applicant, slot])
                    continue
                left[slot] -= 1
                won[applicant].add(slot)
                outcome.won.append({"applicant": applicant, "slot": slot, "rank": rank})
                break
    return outcome


@dataclass(frozen=True)
class Check:
    seed_matches: bool
    digest_matches: bool
    result_matches: bool
    weights_match: bool = True

    @property
    def ok(self) -> bool:
        return self.seed_matches and self.digest_matches and self.result_matches and self.weights_match


def weight_is_declared(weight: str, window: dict[str, Any]) -> bool:
    w = Fraction(weight)
    bases = {Fraction(1), *(Fraction(int(v)) for v in window.get("category_weights", {}).values())}
    if not window.get("recent_win_days"):
        return w in bases
    return any(w > 0 and (base / w).denominator == 1 for base in bases)  # base / (1 + k) for a whole k ≥ 0


NOTHING_MATCHES = Check(seed_matches=False, digest_matches=False, result_matches=False, weights_match=False)


def verify(published: dict[str, Any], seed_hash: str | None = None) -> Check:
    """Re-run a published draw (the JSON of its page) and compare: the seed with the hash committed before the
    window opened (`seed_hash`, as you noted it then; else the one in the file), the digest with the applications,
    the weights with the ones the window declared, and the result with the one published. A file that is not a
    draw matches nothing."""
    try:
        refused = {tuple(pair) for pair in published["refusals"]}
        outcome = run(
            seed=published["seed"],
            entries=published["entries"],
            places=published["places"],
            wins_per_maker=published["wins_per_maker"],
            may_take=lambda applicant, slot: (applicant, slot) not in refused,
        )
        committed = seed_hash or published["seed_hash"]
        window = published.get("window", {})
        return Check(
            seed_matches=sha256_hex(published["seed"]) == published["seed_hash"] == committed,
            digest_matches=applications_digest(published["entries"], published["places"], published["wins_per_maker"])
            == published["applications_digest"],
            result_matches=outcome.as_json() == published["result"]
            and sorted(map(tuple, outcome.refused)) == sorted(refused),
            weights_match=all(weight_is_declared(e["weight"], window) for e in published["entries"]),
        )
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError):
        return NOTHING_MATCHES


def main(argv: list[str]) -> int:
    args = argv[1:]
    seed_hash = None
    if len(args) == 3 and args[0] == "--seed-hash":
        seed_hash, args = args[1], args[2:]
    if len(args) != 1:
        print("usage: python draw.py [--seed-hash <hash published when the window opened>] draw.json", file=sys.stderr)
        return 2
    try:
        with open(args[0], encoding="utf-8") as f:
            published = json.load(f)
    except (OSError, ValueError) as err:
        print(f"cannot read {args[0]}: {err}", file=sys.stderr)
        return 2
    check = verify(published, seed_hash=seed_hash)
    print(f"seed matches its hash:         {'yes' if check.seed_matches else 'NO'}")
    print(f"applications match the digest: {'yes' if check.digest_matches else 'NO'}")
    print(f"weights are those declared:    {'yes' if check.weights_match else 'NO'}")
    print(f"re-run gives the same result:  {'yes' if check.result_matches else 'NO'}")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
