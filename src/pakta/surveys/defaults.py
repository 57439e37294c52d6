"""The default internal questionnaire, in Indonesian (the language of the documents).

The SPI years (thresholds, national index) are seeded by migration 0002_seed_survey_years."""

from __future__ import annotations

# (dimension, statement, reverse scored). Statements are answered from 1 "sangat tidak setuju"
# to 5 "sangat setuju"; reverse-scored statements describe a bad practice.
DEFAULT_QUESTIONS: list[tuple[str, str, bool]] = [
    (
        "transparency",
        "Informasi layanan, biaya dan waktu penyelesaian di unit saya diumumkan secara terbuka.",
        False,
    ),
    (
        "transparency",
        "Pegawai di unit saya menutupi informasi yang seharusnya terbuka bagi publik.",
        True,
    ),
    (
        "hr_management",
        "Penempatan dan promosi jabatan di instansi saya dilakukan secara terbuka "
        "berdasarkan kompetensi.",
        False,
    ),
    (
        "hr_management",
        "Ada pegawai yang memberi uang atau hadiah untuk mendapatkan jabatan atau mutasi.",
        True,
    ),
    ("budget_management", "Anggaran di unit saya digunakan sesuai peruntukannya.", False),
    ("budget_management", "Ada perjalanan dinas atau kegiatan fiktif di unit saya.", True),
    (
        "integrity_in_duties",
        "Pegawai di unit saya menolak gratifikasi yang berhubungan dengan jabatan.",
        False,
    ),
    ("integrity_in_duties", "Pegawai di unit saya menerima imbalan dari pengguna layanan.", True),
    (
        "trading_in_influence",
        "Keputusan di unit saya bebas dari intervensi pihak luar atau pejabat.",
        False,
    ),
    (
        "trading_in_influence",
        "Pimpinan mengarahkan keputusan demi kepentingan pribadi atau golongan.",
        True,
    ),
    (
        "procurement",
        "Rencana pengadaan barang/jasa di instansi saya diumumkan secara terbuka.",
        False,
    ),
    ("procurement", "Pemenang pengadaan sudah ditentukan sebelum proses pemilihan.", True),
    (
        "anticorruption_socialisation",
        "Saya pernah mengikuti sosialisasi antikorupsi dari instansi saya dalam setahun terakhir.",
        False,
    ),
    (
        "anticorruption_socialisation",
        "Saya tahu cara melaporkan dugaan korupsi tanpa takut dibalas.",
        False,
    ),
]
