"""Seed the library of recommended actions per weak SPI dimension (Indonesian, the working
language of the plans; DOMAIN.md sections 3 and 7: KPK's typical recommendations)."""

from django.db import migrations

LIBRARY = [
    ("procurement", "Deklarasi benturan kepentingan oleh seluruh anggota Pokja Pemilihan dan "
     "Pejabat Pengadaan untuk setiap paket", "Formulir deklarasi benturan kepentingan per paket"),
    ("procurement", "Mengumumkan Rencana Umum Pengadaan (RUP) seluruh OPD di SIRUP tepat waktu",
     "Tangkapan layar SIRUP dan daftar paket yang diumumkan"),
    ("procurement", "Menerapkan Pakta Integritas pengadaan bagi PA/KPA/PPK dan penyedia",
     "Pakta integritas pengadaan yang ditandatangani"),
    ("hr_management", "Seleksi terbuka berbasis merit untuk JPT dan administrator dengan hasil "
     "yang diumumkan", "Pengumuman seleksi dan hasil seleksi"),
    ("hr_management", "Menetapkan kebijakan larangan pungutan dalam mutasi dan promosi jabatan",
     "Surat edaran atau peraturan kepala daerah"),
    ("hr_management", "Menyusun manajemen talenta dan rencana suksesi",
     "Dokumen manajemen talenta"),
    ("trading_in_influence", "Menetapkan aturan pengendalian benturan kepentingan dan kewajiban "
     "deklarasi bagi pejabat", "Peraturan kepala daerah dan rekap deklarasi"),
    ("trading_in_influence", "Mencatat dan mempublikasikan pertemuan pejabat dengan pihak yang "
     "berkepentingan", "Register pertemuan"),
    ("transparency", "Mempublikasikan standar pelayanan, biaya dan waktu layanan di setiap unit "
     "layanan", "Foto papan informasi dan tautan situs web"),
    ("transparency", "Memperbarui daftar informasi publik melalui PPID", "Daftar informasi publik"),
    ("budget_management", "Verifikasi pertanggungjawaban perjalanan dinas secara uji petik oleh "
     "Inspektorat", "Laporan hasil uji petik"),
    ("budget_management", "Mempublikasikan ringkasan APBD dan realisasinya",
     "Tautan publikasi APBD dan realisasi"),
    ("integrity_in_duties", "Mengaktifkan Unit Pengendalian Gratifikasi (UPG) dan sosialisasi "
     "kewajiban pelaporan", "SK UPG dan rekap laporan gratifikasi"),
    ("integrity_in_duties", "Membangun saluran pengaduan (whistleblowing) yang melindungi pelapor",
     "SOP dan tautan saluran pengaduan"),
    ("anticorruption_socialisation", "Menyelenggarakan sosialisasi dan pelatihan antikorupsi "
     "berkala bagi seluruh pegawai", "Daftar hadir dan materi sosialisasi"),
    ("anticorruption_socialisation", "Kampanye antikorupsi di unit layanan publik",
     "Dokumentasi kampanye"),
]


def seed(apps, schema_editor):
    RecommendedAction = apps.get_model("actionplans", "RecommendedAction")
    for dimension, title, output in LIBRARY:
        RecommendedAction.objects.get_or_create(
            dimension=dimension, title=title, defaults={"required_output": output}
        )


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
