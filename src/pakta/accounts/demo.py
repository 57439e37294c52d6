"""The demo accounts, one per role, listed on the login page in demo mode."""

from django.utils.translation import gettext_lazy as _

DEMO_PASSWORD = "pakta-demo-2024"  # noqa: S105  (demo mode only, shown on the login page)

DEMO_ACCOUNTS = [
    ("superadmin", _("Superadmin (all Pemda)")),
    ("admin.tanjungsari", _("Administrator, Kabupaten Tanjung Sari")),
    ("inspektorat.tanjungsari", _("Inspektorat, Kabupaten Tanjung Sari")),
    ("upg.tanjungsari", _("UPG, Kabupaten Tanjung Sari")),
    ("bupati.tanjungsari", _("Pimpinan (Bupati), Kabupaten Tanjung Sari")),
    ("kadis.tanjungsari", _("Kepala OPD, Kabupaten Tanjung Sari")),
    ("pegawai.tanjungsari", _("Pegawai, Kabupaten Tanjung Sari")),
    ("admin.nusaharapan", _("Administrator, Provinsi Nusa Harapan")),
]
