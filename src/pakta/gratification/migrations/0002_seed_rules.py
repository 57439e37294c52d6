"""The exempt categories of Perkom KPK 2/2019 Pasal 2(3) and the changes of Perkom KPK 1/2026
(promulgated 20 January 2026, BN 2026 No. 43, in force on promulgation). Later regulations are
added as new dated rows by the superadmin, never by editing these."""

import datetime as dt

from django.db import migrations

P2019 = "Perkom KPK 2/2019 Pasal 2(3)"
P2026 = "Perkom KPK 1/2026 (mengubah Perkom 2/2019)"
# The exact day of BN 2019 No. 1438 is not in our sources: the rules apply to gifts from 2019.
FROM_2019 = dt.date(2019, 1, 1)
FROM_2026 = dt.date(2026, 1, 20)

RULES = [
    # category, from, source, removed, per giver, per year, non-cash, relationships, condition
    ("family", FROM_2019, P2019, False, None, None, False, ["family"], "Tidak ada konflik kepentingan."),
    ("investment", FROM_2019, P2019, False, None, None, False, [], "Berlaku umum."),
    ("cooperative", FROM_2019, P2019, False, None, None, False, [], "Berdasarkan keanggotaan."),
    ("training_kit", FROM_2019, P2019, False, None, None, False, [], "Diberikan kepada semua peserta."),
    ("promotional", FROM_2019, P2019, False, None, None, False, [], "Bernilai wajar, tanpa konflik kepentingan."),
    ("competition", FROM_2019, P2019, False, None, None, False, [], "Tidak terkait kedinasan."),
    ("award", FROM_2019, P2019, False, None, None, False, [], "Penghargaan pemerintah atas prestasi."),
    ("public_discount", FROM_2019, P2019, False, None, None, False, [], "Berlaku umum, tidak terkait kedinasan."),
    ("professional_fee", FROM_2019, P2019, False, None, None, False, [], "Di luar kedinasan, tanpa konflik kepentingan."),
    ("honorarium", FROM_2019, P2019, False, None, None, False, [], "Sesuai standar biaya, tanpa pembiayaan ganda."),
    ("flower_board", FROM_2019, P2019, False, None, None, False, [], ""),
    ("food_served", FROM_2019, P2019, False, None, None, False, [], "Hidangan yang berlaku umum."),
    ("ceremony", FROM_2019, P2019, False, 1_000_000, None, False, [], "Per pemberi per acara."),
    ("colleague", FROM_2019, P2019, False, 200_000, 1_000_000, True, ["colleague"], "Bukan uang."),
    ("farewell", FROM_2019, P2019, False, 300_000, None, True, ["colleague"], "Bukan uang."),
    ("disaster", FROM_2019, P2019, False, 1_000_000, None, False, [], ""),
    ("ceremony", FROM_2026, P2026, False, 1_500_000, None, False, [], "Per pemberi."),
    ("colleague", FROM_2026, P2026, False, 500_000, 1_500_000, True, ["colleague"], "Bukan uang."),
    ("farewell", FROM_2026, P2026, True, None, None, True, ["colleague"], "Kategori dihapus."),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("gratification", "GratificationRule")
    for category, start, source, removed, giver, year, non_cash, relationships, note in RULES:
        Rule.objects.update_or_create(
            category=category,
            effective_from=start,
            defaults={
                "source": source,
                "removed": removed,
                "per_giver_limit": giver,
                "per_year_limit": year,
                "non_cash_only": non_cash,
                "relationships": relationships,
                "note": note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("gratification", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
