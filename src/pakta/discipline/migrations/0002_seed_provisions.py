"""PP 94/2021 Pasal 3 (8 obligations), Pasal 4 (9 obligations) and Pasal 5 (14 prohibitions)."""

from django.db import migrations

PASAL_3 = [
    "setia dan taat sepenuhnya kepada Pancasila, Undang-Undang Dasar Negara Republik Indonesia "
    "Tahun 1945, Negara Kesatuan Republik Indonesia, dan Pemerintah",
    "menjaga persatuan dan kesatuan bangsa",
    "melaksanakan kebijakan yang ditetapkan oleh pejabat pemerintah yang berwenang",
    "menaati ketentuan peraturan perundang-undangan",
    "melaksanakan tugas kedinasan dengan penuh pengabdian, kejujuran, kesadaran, dan tanggung jawab",
    "menunjukkan integritas dan keteladanan dalam sikap, perilaku, ucapan, dan tindakan kepada "
    "setiap orang, baik di dalam maupun di luar kedinasan",
    "menyimpan rahasia jabatan dan hanya dapat mengemukakan rahasia jabatan sesuai dengan "
    "ketentuan peraturan perundang-undangan",
    "bersedia ditempatkan di seluruh wilayah Negara Kesatuan Republik Indonesia",
]
PASAL_4 = [
    "menghadiri dan mengucapkan sumpah/janji PNS",
    "menghadiri dan mengucapkan sumpah/janji jabatan",
    "mengutamakan kepentingan negara daripada kepentingan pribadi, seseorang, dan/atau golongan",
    "melaporkan dengan segera kepada atasannya apabila mengetahui ada hal yang dapat membahayakan "
    "keamanan negara atau merugikan keuangan negara",
    "melaporkan harta kekayaan kepada pejabat yang berwenang sesuai dengan ketentuan peraturan "
    "perundang-undangan",
    "masuk Kerja dan menaati ketentuan jam kerja",
    "menggunakan dan memelihara barang milik negara dengan sebaik-baiknya",
    "memberikan kesempatan kepada bawahan untuk mengembangkan kompetensi",
    "menolak segala bentuk pemberian yang berkaitan dengan tugas dan fungsi kecuali penghasilan "
    "sesuai dengan ketentuan peraturan perundang-undangan",
]
PASAL_5 = [
    "menyalahgunakan wewenang",
    "menjadi perantara untuk mendapatkan keuntungan pribadi dan/atau orang lain dengan "
    "menggunakan kewenangan orang lain yang diduga terjadi konflik kepentingan dengan jabatan",
    "menjadi pegawai atau bekerja untuk negara lain",
    "bekerja pada lembaga atau organisasi internasional tanpa izin atau tanpa ditugaskan oleh "
    "Pejabat Pembina Kepegawaian",
    "bekerja pada perusahaan asing, konsultan asing, atau lembaga swadaya masyarakat asing "
    "kecuali ditugaskan oleh Pejabat Pembina Kepegawaian",
    "memiliki, menjual, membeli, menggadaikan, menyewakan, atau meminjamkan barang baik bergerak "
    "atau tidak bergerak, dokumen, atau surat berharga milik negara secara tidak sah",
    "melakukan pungutan di luar ketentuan",
    "melakukan kegiatan yang merugikan negara",
    "bertindak sewenang-wenang terhadap bawahan",
    "menghalangi berjalannya tugas kedinasan",
    "menerima hadiah yang berhubungan dengan jabatan dan/atau pekerjaan",
    "meminta sesuatu yang berhubungan dengan jabatan",
    "melakukan tindakan atau tidak melakukan tindakan yang dapat mengakibatkan kerugian bagi yang "
    "dilayani",
    "memberikan dukungan kepada calon Presiden/Wakil Presiden, calon Kepala Daerah/Wakil Kepala "
    "Daerah, calon anggota Dewan Perwakilan Rakyat, calon anggota Dewan Perwakilan Daerah, atau "
    "calon anggota Dewan Perwakilan Rakyat Daerah",
]
LETTERS = "abcdefghijklmn"


def seed(apps, schema_editor):
    Provision = apps.get_model("discipline", "Provision")
    for article, texts, kind in (
        (3, PASAL_3, "obligation"),
        (4, PASAL_4, "obligation"),
        (5, PASAL_5, "prohibition"),
    ):
        for letter, text in zip(LETTERS, texts, strict=False):
            Provision.objects.update_or_create(
                code=f"{article}{letter}",
                defaults={"article": article, "letter": letter, "kind": kind, "text": text},
            )


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
