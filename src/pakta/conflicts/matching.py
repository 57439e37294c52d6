"""Name and identifier matching for Indonesian people and companies.

One module, used by the screening service and by ``bench/coi_screening.py``. The scoring model
follows OpenSanctions' "logic" matchers (the best main feature, then qualifiers that add or take
away), written for Indonesian names:

* titles are stripped: religious and honorific prefixes (H., Hj., KH., Prof., Dr., dr., Ir.,
  Drs., Dra.) and academic degrees (S.H., M.Si., S.Kom., A.Md., Ph.D., …), with or without dots,
  with or without the comma that usually comes before them;
* spelling variants share one key: Muhammad/Muhamad/Mohammad/Moh./M., Achmad/Ahmad, the old
  spelling (oe → u, dj → j, tj → c, sj → sy, ch → kh) and doubled letters;
* the order of the names does not matter (``Siregar Budi`` = ``Budi Siregar``) and an initial
  matches a name with that letter (``A. Rahman`` ≈ ``Abdul Rahman``);
* a single name (common in Java) is weak evidence on its own: it scores below the threshold
  unless the birth date agrees;
* identifiers decide over names: the same NIK, NIP, NIB or NPWP is a match whatever the names;
  a different identifier of the same scheme is not a match whatever the names.

String similarity comes from ``rapidfuzz`` (C++). ``rigour``/``followthemoney`` were judged and
not used (see docs/conflicts.md): they pull in PyICU (a C++ build against libicu on every Pemda
server), and their person-name prefixes are Western honorifics, not Indonesian degrees.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

# Score at or above which a pair is reported as a finding.
MATCH_THRESHOLD = 0.80

# Honorific, religious and professional prefixes written before a name.
PREFIX_TITLES = frozenset(
    {
        "h",
        "hj",
        "haji",
        "hajjah",
        "kh",
        "kyai",
        "ustadz",
        "ust",
        "tgh",
        "prof",
        "dr",
        "drs",
        "dra",
        "ir",
        "drg",
        "apt",
        "ns",
        "hc",
        "bpk",
        "bapak",
        "ibu",
        "sdr",
        "sdri",
        "tn",
        "ny",
        "nn",
    }
)

# Academic degrees (Permendikbud 154/2014 and the older forms), compared without dots.
DEGREES = frozenset(
    {
        "sh",
        "se",
        "st",
        "ssi",
        "ssos",
        "skom",
        "spd",
        "spdi",
        "sag",
        "sip",
        "sp",
        "shut",
        "skep",
        "sked",
        "sfarm",
        "spsi",
        "sks",
        "sst",
        "sstp",
        "stp",
        "sthi",
        "stt",
        "sikom",
        "sak",
        "sei",
        "shi",
        "sgz",
        "ssit",
        "skm",
        "sap",
        "mm",
        "mh",
        "msi",
        "mpd",
        "mt",
        "mkes",
        "mag",
        "map",
        "mak",
        "msc",
        "meng",
        "mba",
        "ma",
        "mkom",
        "mhum",
        "mkn",
        "mpa",
        "mse",
        "mpdi",
        "msos",
        "mkm",
        "mtr",
        "phd",
        "amd",
        "amdkep",
        "amdkeb",
        "amdak",
        "amdkom",
        "lc",
        "ak",
        "cpa",
        "bsc",
        "ba",
        "spa",
        "sppd",
        "spog",
        "spb",
        "spm",
        "spkk",
        "sprad",
        "mars",
        "mmr",
        "mph",
    }
)

# Spelling variants of frequent names, mapped to one key (after the phonetic key below).
VARIANTS = {
    "muhammad": "muhammad",
    "muhamad": "muhammad",
    "muhammed": "muhammad",
    "mohammad": "muhammad",
    "mohamad": "muhammad",
    "mohammed": "muhammad",
    "mohamed": "muhammad",
    "mokhammad": "muhammad",
    "mokhamad": "muhammad",
    "mukhammad": "muhammad",
    "mukhamad": "muhammad",
    "mhd": "muhammad",
    "moh": "muhammad",
    "mokh": "muhammad",
    "muh": "muhammad",
    "mhmd": "muhammad",
    "m": "muhammad",
    "akhmad": "ahmad",
    "ahmat": "ahmad",
    "abd": "abdul",
    "abdoel": "abdul",
    "nor": "nur",
    "nuur": "nur",
    "noer": "nur",
    "yusup": "yusuf",
    "yoesoef": "yusuf",
    "jusuf": "yusuf",
    "siti": "siti",
    "sitti": "siti",
}

# Tokens so frequent that they do not separate people: left out of blocking keys.
COMMON_TOKENS = frozenset({"muhammad", "ahmad", "abdul", "nur", "siti", "sri", "dwi", "tri"})

COMPANY_FORMS = frozenset(
    {"pt", "cv", "ud", "tbk", "persero", "perseroan", "koperasi", "kop", "fa", "firma", "pd"}
)

_DOTTED = re.compile(r"\.")
_NON_ALNUM = re.compile(r"[^0-9a-z ]+")
_DIGITS = re.compile(r"\D+")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def phonetic(token: str) -> str:
    """One key for the old and new spelling of a name token (EYD and its predecessors)."""
    key = token
    for old, new in (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("ch", "kh")):
        key = key.replace(old, new)
    # Doubled letters (Hassan/Hasan, Fitrri typos) collapse.
    key = re.sub(r"(.)\1+", r"\1", key)
    return VARIANTS.get(key, VARIANTS.get(token, key))


def strip_titles(name: str) -> tuple[str, list[str]]:
    """The name without its titles, and the titles found (as written, for the evidence)."""
    text = _ascii(name).strip()
    titles: list[str] = []
    # Degrees usually follow the first comma: "Dr. H. Ahmad Yani, S.H., M.Si."
    if "," in text:
        head, _sep, tail = text.partition(",")
        titles.extend(part.strip() for part in tail.split(",") if part.strip())
        text = head
    kept: list[str] = []
    for raw in text.replace(",", " ").split():
        bare = _DOTTED.sub("", raw)
        bare = _NON_ALNUM.sub("", bare)
        if not bare:
            continue
        if bare in PREFIX_TITLES and (raw.endswith(".") or not kept or bare in {"hj", "kh"}):
            titles.append(raw)
            continue
        if bare in DEGREES and ("." in raw or kept):
            titles.append(raw)
            continue
        kept.append(bare)
    return " ".join(kept), titles


def name_tokens(name: str) -> list[str]:
    """The keys of a person's name: titles stripped, variants unified, sorted (order-free)."""
    bare, _titles = strip_titles(name)
    return sorted(phonetic(token) for token in bare.split() if token)


def company_tokens(name: str) -> list[str]:
    """A company's words in order, without its legal form (PT, CV, Tbk, Persero …)."""
    text = _NON_ALNUM.sub(" ", _DOTTED.sub("", _ascii(name)))
    return [token for token in text.split() if token not in COMPANY_FORMS]


def digits(value: str | None) -> str:
    return _DIGITS.sub("", value or "")


def blocking_keys(tokens: Iterable[str]) -> set[str]:
    """Keys two names must share to be compared at all: each uncommon token of three letters or
    more (an initial or a very common token alone never blocks)."""
    keys = {token for token in tokens if len(token) >= 3 and token not in COMMON_TOKENS}
    if not keys:
        keys = {token for token in tokens if len(token) >= 2}
    return keys


@dataclass(frozen=True)
class Party:
    """A person or a company as matching sees it."""

    name: str
    kind: str = "person"  # "person" or "company"
    identifiers: dict[str, str] = field(default_factory=dict)  # scheme → value (digits)
    birth_date: dt.date | None = None
    birth_place: str = ""

    def tokens(self) -> list[str]:
        return company_tokens(self.name) if self.kind == "company" else name_tokens(self.name)


@dataclass
class Match:
    score: float
    evidence: list[str]
    decided_by: str = "name"  # "identifier" or "name"

    @property
    def is_match(self) -> bool:
        return self.score >= MATCH_THRESHOLD


def _token_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return 0.85 if a[0] == b[0] else 0.0
    return Indel.normalized_similarity(a, b)


def token_similarity(left: list[str], right: list[str]) -> tuple[float, str]:
    """Similarity of two sorted token lists, independent of order; with a note on its shape."""
    if not left or not right:
        return 0.0, ""
    short, long_ = (left, right) if len(left) <= len(right) else (right, left)
    remaining = list(long_)
    total = 0.0
    for token in short:
        best_index, best = -1, 0.0
        for index, other in enumerate(remaining):
            score = _token_score(token, other)
            if score > best:
                best_index, best = index, score
        if best_index >= 0 and best >= 0.8:
            total += best
            remaining.pop(best_index)
    coverage = total / len(short)
    if len(short) == 1 and len(long_) > 1:
        return coverage * 0.75, "single"
    return coverage * (0.85 + 0.15 * len(short) / len(long_)), ""


def match(
    left: Party,
    right: Party,
    left_tokens: list[str] | None = None,
    right_tokens: list[str] | None = None,
) -> Match:
    """Score how likely two parties are the same, with the evidence in Indonesian. Tokens may be
    passed when already computed (bulk screening)."""
    evidence: list[str] = []
    for scheme in ("nik", "nip", "nib", "npwp"):
        a, b = digits(left.identifiers.get(scheme)), digits(right.identifiers.get(scheme))
        if scheme == "npwp" and len(a) == 15:
            a = "0" + a
        if scheme == "npwp" and len(b) == 15:
            b = "0" + b
        if a and b:
            if a == b:
                return Match(1.0, [f"{scheme.upper()} sama: {a}"], "identifier")
            return Match(0.0, [f"{scheme.upper()} berbeda ({a} / {b})"], "identifier")
    if left.kind != right.kind:
        return Match(0.0, ["jenis berbeda (orang/badan usaha)"])
    lt = left.tokens() if left_tokens is None else left_tokens
    rt = right.tokens() if right_tokens is None else right_tokens
    if left.kind == "company":
        # A company's words keep their order ("Jaya Abadi" is not "Abadi Jaya").
        # Without an identifier, only a near-identical name (a typo) is the same company.
        score, shape = Indel.normalized_similarity(" ".join(lt), " ".join(rt)), ""
        if score < 0.95:
            score = 0.0
    else:
        score, shape = token_similarity(lt, rt)
    if score == 0:
        return Match(0.0, [])
    evidence.append(f"kemiripan nama {round(score * 100)}%: «{left.name}» ~ «{right.name}»")
    if shape == "single":
        evidence.append("satu nama saja (bukti lemah)")
    if left.birth_date and right.birth_date:
        if left.birth_date == right.birth_date:
            score += 0.15
            evidence.append(f"tanggal lahir sama: {left.birth_date:%d-%m-%Y}")
        elif left.birth_date.year != right.birth_date.year:
            score -= 0.3
            evidence.append("tahun lahir berbeda")
        else:
            score -= 0.3
            evidence.append("tanggal lahir berbeda")
    if (
        left.birth_place
        and right.birth_place
        and _ascii(left.birth_place).strip() == _ascii(right.birth_place).strip()
    ):
        score += 0.05
        evidence.append(f"tempat lahir sama: {left.birth_place}")
    return Match(round(max(0.0, min(1.0, score)), 3), evidence)


def exact_key(party: Party) -> str:
    """The exact-key baseline's key: an identifier, else the normalised name + birth date."""
    for scheme in ("nik", "nib", "npwp", "nip"):
        value = digits(party.identifiers.get(scheme))
        if value:
            if scheme == "npwp" and len(value) == 15:
                value = "0" + value
            return f"{scheme}:{value}"
    name = " ".join(_NON_ALNUM.sub("", _ascii(party.name)).split())
    return f"name:{name}|{party.birth_date or ''}"
