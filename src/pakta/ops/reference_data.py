"""Reference data that migrations seed (SPI thresholds per year, the gratification rules, the
provisions of PP 94/2021, the library of recommended actions), put back when a table is empty.

A database flushed after migrating (a test run that truncates tables, a restore of a partial
dump) has the schema but not these rows; ``load_demo`` calls :func:`reference_data_ensure` first
so the demo never meets "no thresholds for the survey year". The seed functions themselves stay
in their migrations, the one place the data is written down.
"""

from __future__ import annotations

import importlib

from django.apps import apps

SEEDS = (
    # (app label, model, migration module that seeds it)
    ("surveys", "SurveyYear", "pakta.surveys.migrations.0002_seed_survey_years"),
    ("actionplans", "RecommendedAction", "pakta.actionplans.migrations.0003_seed_library"),
    ("gratification", "GratificationRule", "pakta.gratification.migrations.0002_seed_rules"),
    ("discipline", "Provision", "pakta.discipline.migrations.0002_seed_provisions"),
)


def reference_data_ensure() -> list[str]:
    """Seed every empty reference table; return the models seeded."""
    seeded = []
    for label, model_name, module in SEEDS:
        if apps.get_model(label, model_name).objects.exists():
            continue
        importlib.import_module(module).seed(apps, None)
        seeded.append(f"{label}.{model_name}")
    return seeded
