#!/usr/bin/env python
"""Conflict-of-interest screening: declared people and companies against procurement parties.

    uv run python bench/coi_screening.py                 # 2,000 declarations vs 8,000 parties
    uv run python bench/coi_screening.py --national      # 50,000 declarations (~400,000
                                                         # declared persons and companies) of
                                                         # 546 Pemda vs 200,000 parties

Generated data: each declaration names about eight people and companies (relatives with birth
dates and sometimes a NIK, companies with a NIB or NPWP about half of the time). A share of them
is planted among the parties (tenderers' owners and directors, tenderer companies): some exactly
(the same normalised name and birth date, or the same identifier), and some as variants an
exact key misses — academic and religious titles (Dr., H., Hj., S.H., M.Si.), Muhammad/Moh./M.,
the old spelling (oe, dj), swapped name order, PT/CV and Tbk around a company name.

Phase "service": ``pakta.conflicts.batch`` — blocking (identifiers, uncommon-token pairs,
token prefixes), then ``matching.match`` on the candidate pairs. Phase "baseline": a hash join
on an exact key (identifier, else the normalised name + birth date). Both in the same process,
best of ``--repeat``. Printed: both times, the candidate pairs compared, recall and precision
of each on the planted truth, and the ratio service/baseline. Target: the service within 10x the
baseline while finding every exact-key hit, with recall >= 0.95 and precision >= 0.9.

Matching runs in memory on rows already read (reading them is the same for both phases and not
the subject), so there is no database in this benchmark and one RESULT line:
``RESULT bench=coi_screening ratio=<x> target=10 ok=<bool>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakta.settings")
os.environ.setdefault("PAKTA_VAR_DIR", "/tmp/coi-bench-var")
os.environ.setdefault("PAKTA_DEBUG", "false")

TARGET = 10.0

GIVEN = [
    "Budi",
    "Agus",
    "Sri",
    "Siti",
    "Dewi",
    "Rudi",
    "Hendra",
    "Yusuf",
    "Ahmad",
    "Muhammad",
    "Rina",
    "Wati",
    "Eko",
    "Joko",
    "Bambang",
    "Andi",
    "Rizki",
    "Fajar",
    "Putri",
    "Ayu",
    "Indah",
    "Dian",
    "Lestari",
    "Nur",
    "Fitri",
    "Ratna",
    "Bayu",
    "Dimas",
    "Galih",
    "Hadi",
    "Iwan",
    "Kurnia",
    "Lukman",
    "Mulyadi",
    "Nanda",
    "Oki",
    "Purnama",
    "Qori",
    "Rahmat",
    "Slamet",
    "Taufik",
    "Umar",
    "Vina",
    "Wahyu",
    "Yanti",
    "Zainal",
    "Abdul",
    "Rahman",
    "Hasan",
    "Ismail",
    "Irfan",
    "Ilham",
    "Arif",
    "Asep",
    "Cecep",
    "Dedi",
    "Endang",
    "Firman",
    "Gilang",
    "Herman",
    "Ikhsan",
    "Jajang",
    "Komar",
    "Lilis",
    "Maman",
    "Neneng",
    "Opik",
    "Pipit",
    "Ujang",
    "Yayat",
    "Samsul",
    "Rosidah",
    "Sutrisno",
    "Supriyadi",
]
FAMILY = [
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Pane",
    "Hutapea",
    "Sitompul",
    "Tambunan",
    "Panjaitan",
    "Wijaya",
    "Santoso",
    "Saputra",
    "Kusuma",
    "Pratama",
    "Hidayat",
    "Gunawan",
    "Setiawan",
    "Susanto",
    "Wibowo",
    "Sulistyo",
    "Purnomo",
    "Hartono",
    "Suryadi",
    "Rahayu",
    "Permana",
    "Firmansyah",
    "Kurniawan",
    "Ramadhan",
    "Syahputra",
    "Hakim",
    "Mahendra",
    "Prasetyo",
    "Nugroho",
    "Utomo",
    "Handoko",
    "Budiman",
    "Darmawan",
    "Effendi",
    "Halim",
    "Iskandar",
    "Junaedi",
    "Kartika",
    "Latif",
    "Maulana",
    "Nurdin",
    "Oktaviani",
    "Pohan",
    "Rangkuti",
    "Sembiring",
    "Tarigan",
    "Ginting",
    "Karo",
    "Manurung",
    "Sinaga",
    "Silalahi",
    "Marpaung",
    "Situmorang",
    "Pardede",
    "Napitupulu",
    "Sihombing",
    "Hutagalung",
]
WORDS = [
    "Maju",
    "Jaya",
    "Abadi",
    "Sentosa",
    "Makmur",
    "Karya",
    "Mandiri",
    "Bersama",
    "Sejahtera",
    "Utama",
    "Cipta",
    "Bangun",
    "Persada",
    "Nusantara",
    "Mitra",
    "Sarana",
    "Teknik",
    "Konstruksi",
    "Prima",
    "Agung",
    "Lestari",
    "Cahaya",
    "Bintang",
    "Anugerah",
    "Sinar",
    "Berkah",
    "Mulia",
    "Indah",
    "Sumber",
    "Rejeki",
    "Harapan",
    "Baru",
    "Putra",
    "Putri",
    "Samudra",
    "Graha",
    "Perkasa",
    "Tunggal",
    "Global",
    "Solusi",
    "Data",
    "Medika",
    "Farma",
    "Alkes",
    "Logistik",
    "Niaga",
    "Dagang",
    "Energi",
    "Tirta",
    "Bumi",
    "Langit",
    "Andalas",
    "Borneo",
    "Celebes",
    "Dwipa",
    "Ekajaya",
    "Fajar",
    "Garuda",
    "Hijau",
    "Intan",
    "Jati",
    "Kencana",
    "Lintas",
    "Mega",
    "Nusa",
    "Ombak",
    "Pelita",
    "Quantum",
    "Rajawali",
    "Satria",
    "Trijaya",
    "Unggul",
    "Visi",
    "Wahana",
    "Yudha",
    "Zamrud",
    "Arta",
    "Bahari",
    "Citra",
    "Daya",
    "Elang",
    "Furnindo",
    "Gemilang",
    "Harmoni",
    "Inti",
    "Jasa",
    "Kreasi",
    "Lumbung",
    "Mutiara",
    "Nirwana",
    "Optima",
    "Pancar",
    "Rekayasa",
    "Sakti",
    "Tekno",
    "Usaha",
    "Vektor",
    "Wijaya",
    "Artha",
    "Beton",
    "Cemerlang",
    "Dinamika",
]
TITLES_BEFORE = ["Dr.", "H.", "Hj.", "Ir.", "Drs.", "Prof. Dr.", "dr."]
TITLES_AFTER = ["S.H.", "M.Si.", "S.Kom.", "S.E., M.M.", "S.T.", "M.Pd.", "S.Sos."]


def person_name(rng: random.Random) -> str:
    parts = [rng.choice(GIVEN)]
    if rng.random() < 0.6:
        parts.append(rng.choice(GIVEN))
    parts.append(rng.choice(FAMILY))
    return " ".join(dict.fromkeys(parts))


def company_name(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, 3))


def variant_person(name: str, rng: random.Random) -> str:
    tokens = name.split()
    choice = rng.randrange(5)
    if choice == 0:
        return f"{rng.choice(TITLES_BEFORE)} {name}, {rng.choice(TITLES_AFTER)}"
    if choice == 1:
        return " ".join([tokens[-1], *tokens[:-1]])  # family name first
    if choice == 2:
        return f"{rng.choice(['Muhammad', 'Moh.', 'M.', 'Mochammad'])} {name}"
    if choice == 3:
        return name.replace("u", "oe", 1) if "u" in name else name.upper()
    return f"{rng.choice(TITLES_BEFORE)} {name}"


def variant_company(name: str, rng: random.Random) -> str:
    return rng.choice([f"PT. {name}", f"CV {name}", f"{name} Tbk", f"PT {name.upper()} (Persero)"])


def generate(declarations: int, parties: int, seed: int = 17):  # type: ignore[no-untyped-def]
    from pakta.conflicts.matching import Party

    rng = random.Random(seed)
    declared: list[Party] = []
    right: list[Party] = []
    truth: set[tuple[int, int]] = set()
    exact_truth: set[tuple[int, int]] = set()
    per_declaration = 8
    plant_rate = 0.05
    # Distinct entities get distinct names (a person: name and birth date), as in a registry:
    # two different companies with one name cannot be told apart by any matcher.
    used: set[tuple[str, dt.date | None]] = set()

    def new_person() -> tuple[str, dt.date]:
        while True:
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
            name = person_name(rng)
            if (name, born) not in used:
                used.add((name, born))
                return name, born

    def new_company() -> str:
        while True:
            name = company_name(rng)
            if (name, None) not in used:
                used.add((name, None))
                return name

    for _ in range(declarations * per_declaration):
        if rng.random() < 0.7:
            ids = {"nik": f"{rng.randrange(10**15, 10**16)}"} if rng.random() < 0.3 else {}
            name, born = new_person()
            declared.append(Party(name, "person", ids, born))
        else:
            ids = {"nib": f"{rng.randrange(10**12, 10**13)}"} if rng.random() < 0.5 else {}
            declared.append(Party(new_company(), "company", ids))
    for index, party in enumerate(declared):
        if rng.random() >= plant_rate or len(right) >= parties:
            continue
        fuzzy = rng.random() < 0.5
        if party.kind == "person":
            name = variant_person(party.name, rng) if fuzzy else party.name
            # The party side rarely knows the NIK: the name and birth date must do.
            ids = party.identifiers if (not fuzzy and rng.random() < 0.5) else {}
            right.append(Party(name, "person", ids, party.birth_date))
        else:
            name = variant_company(party.name, rng) if fuzzy else party.name
            ids = party.identifiers if rng.random() < 0.5 else {}
            right.append(Party(name, "company", ids))
        truth.add((index, len(right) - 1))
        if not fuzzy or right[-1].identifiers:
            exact_truth.add((index, len(right) - 1))
    while len(right) < parties:
        if rng.random() < 0.6:
            name, born = new_person()
            right.append(Party(name, "person", {}, born))
        else:
            ids = {"nib": f"{rng.randrange(10**12, 10**13)}"} if rng.random() < 0.5 else {}
            right.append(Party(new_company(), "company", ids))
    return declared, right, truth, exact_truth


def baseline(declared, right):  # type: ignore[no-untyped-def]
    from pakta.conflicts.matching import exact_key

    table: dict[str, list[int]] = {}
    for index, party in enumerate(right):
        table.setdefault(exact_key(party), []).append(index)
    hits = set()
    for index, party in enumerate(declared):
        for other in table.get(exact_key(party), ()):
            hits.add((index, other))
    return hits


def service(declared, right, stats):  # type: ignore[no-untyped-def]
    from pakta.conflicts import batch

    index = batch.Index(right)
    return {(hit.left, hit.right) for hit in batch.screen(declared, index, stats)}


def score(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    true_positive = len(found & truth)
    recall = true_positive / len(truth) if truth else 1.0
    precision = true_positive / len(found) if found else 1.0
    return recall, precision


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--declarations", type=int, default=2000)
    parser.add_argument("--parties", type=int, default=8000)
    parser.add_argument("--national", action="store_true", help="50,000 vs 200,000")
    parser.add_argument("--rows", type=int, help="as passed by scripts/bench.sh: declarations")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--show", type=int, default=5, help="fuzzy hits to print")
    args = parser.parse_args()
    import django

    django.setup()
    declarations, parties = args.declarations, args.parties
    if args.rows:
        declarations, parties = max(100, args.rows // 10), max(400, args.rows // 2.5)
    if args.national:
        declarations, parties = 50_000, 200_000
    parties = int(parties)
    started = time.perf_counter()
    declared, right, truth, exact_truth = generate(declarations, parties)
    print(
        f"generated {declarations:,} declarations = {len(declared):,} declared persons and "
        f"companies, {len(right):,} parties, {len(truth):,} planted pairs "
        f"({len(exact_truth):,} of them planted as exact copies or with an identifier) in {time.perf_counter() - started:.1f} s"
    )
    best = {"service": float("inf"), "baseline": float("inf")}
    stats: dict[str, int] = {}
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        base_hits = baseline(declared, right)
        best["baseline"] = min(best["baseline"], time.perf_counter() - started)
        started = time.perf_counter()
        service_hits = service(declared, right, stats)
        best["service"] = min(best["service"], time.perf_counter() - started)
    recall, precision = score(service_hits, truth)
    base_recall, base_precision = score(base_hits, truth)
    missed_exact = base_hits - service_hits
    print(
        f"baseline (exact-key hash join): {best['baseline']:.2f} s, {len(base_hits):,} hits, "
        f"recall {base_recall:.3f}, precision {base_precision:.3f}"
    )
    print(
        f"service (blocking + matching):  {best['service']:.2f} s, {len(service_hits):,} hits, "
        f"recall {recall:.3f}, precision {precision:.3f}, "
        f"{stats.get('compared', 0):,} candidate pairs compared"
    )
    print(f"exact-key hits the service missed: {len(missed_exact)}")
    from pakta.conflicts.matching import match

    for left, other in sorted(service_hits - base_hits)[: args.show]:
        result = match(declared[left], right[other])
        print(
            f"  fuzzy: {declared[left].name!r} ~ {right[other].name!r}: {result.score} "
            f"({'; '.join(result.evidence)})"
        )
    ratio = best["service"] / best["baseline"] if best["baseline"] else float("inf")
    ok = ratio <= TARGET and not missed_exact and recall >= 0.95 and precision >= 0.9
    print(
        f"RESULT bench=coi_screening ratio={ratio:.2f} target={TARGET:g} "
        f"ok={'true' if ok else 'false'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
