"""Re-run a lottery's draw and say whether it is the one published: `manage.py verify_draw <window id>` checks the
stored draw, `manage.py verify_draw --file lottery-draw-7.json` a downloaded one (as `python allocation/draw.py`
does without the portal). Exits with an error when anything differs."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from allocation import draw as pure
from allocation import services
from allocation.models import Draw


class Command(BaseCommand):
    help = "Re-run a lottery draw from its published seed and applications and compare the result."

    def add_arguments(self, parser):
        parser.add_argument("window", nargs="?", type=int, help="the lottery window's id")
        parser.add_argument("--file", help="a draw downloaded from its page (JSON) instead")
        parser.add_argument("--seed-hash", help="the seed's hash as published when the window was declared")

    def handle(self, *args, **options):
        if options["file"]:
            try:
                with open(options["file"], encoding="utf-8") as f:
                    published = json.load(f)
            except (OSError, ValueError) as err:
                raise CommandError(f"cannot read {options['file']}: {err}") from err
        elif options["window"] is not None:
            draw = Draw.objects.select_related("window__anchor").filter(window_id=options["window"]).first()
            if draw is None:
                raise CommandError(f"window {options['window']} has not been drawn")
            published = services.published(draw)
            options["seed_hash"] = options["seed_hash"] or draw.window.seed_hash
        else:
            raise CommandError("give a window id or --file")
        check = pure.verify(published, seed_hash=options["seed_hash"])
        for label, ok in (
            ("seed matches the hash published in advance", check.seed_matches),
            ("applications match the digest", check.digest_matches),
            ("weights are those the window declared", check.weights_match),
            ("re-run gives the same result", check.result_matches),
        ):
            self.stdout.write(f"{'yes' if ok else 'NO '}  {label}")
        if not check.ok:
            raise CommandError("the draw does not check out")
        self.stdout.write(self.style.SUCCESS("The draw checks out."))
