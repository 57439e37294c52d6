"""Seed the SPI years known from DOMAIN.md section 3: thresholds and national index per year."""

from decimal import Decimal

from django.db import migrations

YEARS = {
    # year: (rentan_from, waspada_from, terjaga_from, national index, source)
    2022: ("68.00", "73.70", "77.50", "71.94",
           "https://id.scribd.com/document/658559067/Panduan-Hasil-SPI-2022"),
    2023: (None, "73.00", "80.01", "70.97",
           "https://disway.id/amp/758264/indeks-spi-nasional-2023-hanya-7097-kpk-statusnya-rentan"),
    2024: (None, "73.00", "78.00", "71.53",
           "https://balinews.id/kpk-rilis-spi-2024-bali-peringkat-kedua-nasional-salah-satu-"
           "provinsi-paling-terjaga-dari-korupsi"),
    2025: (None, "73.00", "78.00", "72.32",
           "https://dataloka.id/politik/5729/10-provinsi-paling-rentan-korupsi-di-indonesia-pada-2025"),
}


def seed(apps, schema_editor):
    SurveyYear = apps.get_model("surveys", "SurveyYear")
    for year, (rentan, waspada, terjaga, national, source) in YEARS.items():
        SurveyYear.objects.update_or_create(
            year=year,
            defaults={
                "rentan_from": Decimal(rentan) if rentan else None,
                "waspada_from": Decimal(waspada),
                "terjaga_from": Decimal(terjaga),
                "national_index": Decimal(national),
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
