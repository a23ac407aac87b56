"""Indonesian texts for the demo world: campaign posts of both contests, employees' reactions, neutral posts.

Written for this project (no copied data). ``{n}`` is a ballot number, ``{nama}`` a candidate's short
name, ``{akronim}`` the pair's acronym, ``{tag}`` one of its hashtags; ``{lawan}`` names a rival pair of
the same contest. The regent contest's posts speak of the regency, the governor contest's of the
province (both invented).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CAMPAIGN_POSTS = [
    "Terima kasih warga Desa Muara Lestari atas sambutannya! Bersama {akronim}, nomor urut {n}, kita bangun "
    "jalan desa dan sekolah. {tag}",
    "Kampanye dialogis hari ini di Kecamatan Tanjung Sepat. Ayo coblos nomor {n} tanggal 27 November! {tag}",
    "Program kartu sehat gratis untuk semua warga Sungai Tenang. Pilih {nama}, pilih nomor {n}! {tag}",
    "Salam {n} jari! ✌️ Relawan {akronim} siap memenangkan Sungai Tenang. {tag}",
    "Foto bersama ibu-ibu PKK di posko pemenangan {akronim}. Semangat menangkan paslon nomor urut {n}! 📸 {tag}",
    "Debat kedua semalam membuktikan {nama} paling siap memimpin. Lanjutkan perjuangan, coblos {n}! {tag}",
    "Bersama {akronim} untuk Sungai Tenang yang lebih maju. Jangan lupa 27 November, coblos nomor {n}. {tag}",
    "Kami datang ke pasar Tanjung Sepat mendengar keluhan pedagang. {nama} janji pasar rakyat direnovasi. "
    "Dukung {akronim}! {tag}",
]
GOVERNOR_CAMPAIGN_POSTS = [
    "Calon gubernur {nama} menyapa warga Sungai Tenang! Bersama {akronim}, nomor urut {n}, Teluk Permata "
    "bangkit. {tag}",
    "Jalan provinsi dari Sungai Tenang ke ibu kota provinsi akan kami tuntaskan. Coblos nomor {n} untuk "
    "gubernur, 27 November! {tag}",
    "Kampanye akbar {akronim} di lapangan kabupaten. Teluk Permata butuh gubernur yang peduli nelayan. "
    "Pilih nomor {n}! {tag}",
    "Beasiswa provinsi untuk seribu anak Teluk Permata. Dukung {nama}, menangkan {akronim}! {tag}",
]
#: A neutral announcement an official account posts: liked by many, campaign content by nobody's reading.
VOTER_EDUCATION = ("Pengumuman: pemungutan suara Pilkada serentak Rabu 27 November 2024. Cek nama Anda di DPT "
                   "dan datang ke TPS sesuai undangan. Informasi resmi dari KPU.")
SUPPORT_COMMENTS = [
    "Mantap pak, kami sekeluarga pilih nomor {n}! {tag}",
    "Siap menangkan {akronim}! 💪",
    "Lanjutkan pak {nama}, coblos {n} pokoknya",
    "Setuju, {akronim} paling peduli sama guru honorer. Nomor {n} menang!",
    "Dukung terus {nama}, semoga amanah 🙏 {tag}",
]
OPPOSE_COMMENTS = [
    "Jangan pilih {lawan}, janjinya cuma omong kosong.",
    "{lawan} sudah terbukti gagal, jangan sampai terpilih lagi.",
]
NEUTRAL_POSTS = [
    "Ayo ke TPS tanggal 27 November! Gunakan hak pilihmu, jangan golput. Info DPT cek di situs KPU.",
    "Rapat koordinasi pelayanan KTP-el untuk pemilih pemula di kantor Disdukcapil hari ini.",
    "Alhamdulillah, vaksinasi anak sekolah di Puskesmas Muara Lestari berjalan lancar.",
    "Jadwal debat kedua calon bupati diumumkan KPU Kabupaten Sungai Tenang, disiarkan langsung Jumat malam.",
    "Sosialisasi program beasiswa daerah untuk siswa berprestasi, pendaftaran sampai akhir bulan.",
    "Nonton bareng final sepak bola di balai desa, seru sekali! ⚽",
    "Resep gulai ikan patin khas Sungai Tenang, wajib coba akhir pekan ini 😋",
    "Kerja bakti membersihkan saluran air di kompleks perumahan, terima kasih warga RT 02.",
    "Nomor antrean di bank hari ini 202, sabar menunggu sambil baca buku 😅",
    "Pengajian rutin malam Jumat di masjid kompleks, semua warga diundang.",
    "Bawaslu mengimbau ASN menjaga netralitas selama tahapan Pilkada. Laporkan pelanggaran ke posko pengawasan.",
    "Pelatihan petugas KPPS untuk TPS 05 selesai, semoga pemungutan suara berjalan lancar.",
]
NEUTRAL_COMMENTS = [
    "Terima kasih infonya.",
    "Semoga lancar acaranya 🙏",
    "Jalan di desa kami juga rusak, mohon diperhatikan dinas terkait.",
    "Kapan jadwal pelayanan KTP-el keliling ke kecamatan kami?",
]


@dataclass(frozen=True)
class PairWords:
    """What the templates need to know about one pair (and which contest it runs in)."""

    number: int
    name: str
    acronym: str
    hashtags: tuple[str, ...]
    contest: str = ""
    kind: str = "pilbup"


def campaign_posts(pair: PairWords) -> list[str]:
    """The campaign templates of the pair's contest."""
    return GOVERNOR_CAMPAIGN_POSTS if pair.kind == "pilgub" else CAMPAIGN_POSTS


def fill(template: str, pair: PairWords, rival: PairWords, rng: random.Random) -> str:
    """A template with one pair's words (and a rival's name for negative campaigning)."""
    return template.format(n=pair.number, nama=pair.name, akronim=pair.acronym,
                           tag=rng.choice(pair.hashtags) if pair.hashtags else "", lawan=rival.acronym).strip()
