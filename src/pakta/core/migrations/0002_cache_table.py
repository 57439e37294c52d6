"""The database cache's table, made by ``migrate`` itself.

The shared cache (``CACHES``: the database backend unless ``REDIS_URL`` is set) holds the kept
"Tugas saya" lists and the Pemda counts (``pakta.core.todo``), which every signed-in request and
every audited decision touch. A deployment that ran ``migrate`` but not ``createcachetable``
answered every login with "no such table: pakta_cache"; now ``migrate`` is enough, and
``createcachetable`` (still in ``make run`` and docs/operations.md) finds the table made.
"""

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop)]
