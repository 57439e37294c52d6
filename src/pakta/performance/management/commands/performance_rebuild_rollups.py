"""Recompute the performance dashboards' aggregates from the agreements and realizations.

    python manage.py performance_rebuild_rollups [--pemda <slug> ...]

The services keep the aggregates up to date; this repairs them (after a restore of part of the
data, or a bug) in one transaction. See docs/performance.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pakta.org.models import Pemda
from pakta.performance.services.rollups import aggregates_rebuild


class Command(BaseCommand):
    help = "Recompute AgreementCount, AgreementAchievement and AchievementRollup from the rows."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--pemda", action="append", default=[], help="slug (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        pemda_ids = None
        if options["pemda"]:
            found = dict(Pemda.objects.filter(slug__in=options["pemda"]).values_list("slug", "pk"))
            missing = sorted(set(options["pemda"]) - set(found))
            if missing:
                raise CommandError(f"Unknown Pemda: {', '.join(missing)}")
            pemda_ids = list(found.values())
        result = aggregates_rebuild(pemda_ids=pemda_ids, progress=self.stdout.write)
        self.stdout.write(
            f"{result['counts']} count rows, {result['achievements']} agreement rows, "
            f"{result['rollups']} roll-up rows."
        )
