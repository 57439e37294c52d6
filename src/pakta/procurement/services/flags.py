"""Red flags on the Pemda's packages: Cardinal's eleven indicators over the packages' compiled
releases (hand-entered packages are written as releases first), the Indonesian indicators on
top, and a risk score per package from weighted flags."""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings
from django.db import transaction

from pakta.audit.services import audit_record
from pakta.org.models import Pemda
from pakta.procurement.cardinal.engine import Engine
from pakta.procurement.cardinal.settings import Settings
from pakta.procurement.models import Flag, Package

# Weights of each indicator in the risk score (settings: PAKTA_PROCUREMENT_WEIGHTS overrides).
DEFAULT_WEIGHTS: dict[str, float] = {
    "R003": 2,
    "R018": 3,
    "R024": 2,
    "R025": 1,
    "R028": 3,
    "R030": 4,
    "R035": 4,
    "R036": 4,
    "R038": 1,
    "R048": 1,
    "R058": 2,
    "ID01": 1,
    "ID02": 1,
    "ID03": 1,
    "ID04": 1,
    "ID05": 3,
    "ID06": 2,
    "ID07": 1,
    # An undeclared relationship between the package's officials and a tenderer (issue 17).
    "COI": 10,
    # The same relationship, declared by the official for the package (normal priority).
    "COI_DECLARED": 3,
}


def weights() -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **getattr(django_settings, "PAKTA_PROCUREMENT_WEIGHTS", {})}


def package_release(package: Package) -> dict[str, Any]:
    """The package's compiled release: the imported one, or one written from its rows."""
    if package.release:
        return package.release
    ocid = f"pakta-{package.pemda_id}-{package.pk}"

    def org(party: Any) -> dict[str, str] | None:
        return {"id": f"P{party.pk}", "name": party.name} if party is not None else None

    def money(amount: Any, currency: str) -> dict[str, Any] | None:
        return {"amount": float(amount), "currency": currency} if amount is not None else None

    tender: dict[str, Any] = {"id": package.code or str(package.pk), "title": package.title}
    if package.method:
        tender["procurementMethod"] = package.method
    if package.tender_start and package.tender_end:
        tender["tenderPeriod"] = {
            "startDate": package.tender_start.isoformat(),
            "endDate": package.tender_end.isoformat(),
        }
    if package.buyer_id:
        tender["procuringEntity"] = {"id": f"U{package.procuring_unit_id or package.buyer_id}"}
    bids = list(package.bids.select_related("tenderer"))
    tender["numberOfTenderers"] = len({b.tenderer_id for b in bids})
    release: dict[str, Any] = {"ocid": ocid, "tender": tender}
    if package.buyer_id:
        release["buyer"] = {"id": f"U{package.buyer_id}"}
    release["bids"] = {
        "details": [
            {
                "status": b.status or "valid",
                "tenderers": [org(b.tenderer)],
                **({"value": money(b.amount, b.currency)} if b.amount is not None else {}),
                **({"date": b.date.isoformat()} if b.date else {}),
            }
            for b in bids
        ]
    }
    release["awards"] = [
        {
            "id": str(a.pk),
            "status": a.status or "active",
            "suppliers": [org(s) for s in a.suppliers.all()],
        }
        for a in package.awards.prefetch_related("suppliers")
    ]
    return release


def _party_index(packages: list[Package]) -> dict[str, dict[str, Any]]:
    """For each package's ocid: its tenderer / buyer ids in the release → Pakta party."""
    index: dict[str, dict[str, Any]] = {}
    for package in packages:
        mapping: dict[str, Any] = {}
        for bid in package.bids.all():
            mapping.setdefault(f"P{bid.tenderer_id}", bid.tenderer_id)
        release = package.release or {}
        for data in release.get("parties") or []:
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                mapping[data["id"]] = data
        index[package.ocid or f"pakta-{package.pemda_id}-{package.pk}"] = mapping
    return index


@transaction.atomic
def flags_compute(
    *, pemda: Pemda, acting_user: Any, settings: Settings | None = None
) -> dict[str, int]:
    """Recompute every flag and risk score of the Pemda's packages (replacing the old flags)."""
    from pakta.procurement.indonesia import indonesian_flags

    packages = list(
        Package.objects.filter(pemda=pemda).prefetch_related("bids__tenderer", "awards__suppliers")
    )
    engine = Engine(settings or Settings.all_defaults(), map=True)
    by_ocid: dict[str, Package] = {}
    for package in packages:
        release = package_release(package)
        by_ocid[release["ocid"]] = package
        engine.fold(release)
    document = engine.finalize(meta=True)
    Flag.objects.filter(pemda=pemda).delete()
    flags: list[Flag] = []
    for ocid, results in document.get("OCID", {}).items():
        found = by_ocid.get(ocid)
        if found is None:
            continue
        for code, value in results.items():
            flags.append(
                Flag(pemda=pemda, package=found, code=code, value=value, detail={"group": "OCID"})
            )
    # Organisation-level results (R025, R038, R048): a flag on each package the organisation took
    # part in, so that it shows on the package page and counts in its score.
    maps = document.get("Maps", {})
    tenderer_processes: dict[str, list[str]] = {}
    for ocid, ids in maps.get("ocid_tenderer", {}).items():
        for tid in ids:
            tenderer_processes.setdefault(tid, []).append(ocid)
    for ocid, release_pkg in by_ocid.items():
        for award in package_release(release_pkg).get("awards") or []:
            for supplier in award.get("suppliers") or []:
                sid = supplier.get("id") if isinstance(supplier, dict) else None
                if isinstance(sid, str) and ocid not in tenderer_processes.setdefault(sid, []):
                    tenderer_processes[sid].append(ocid)
    for tid, results in document.get("Tenderer", {}).items():
        for code, value in results.items():
            if code not in {"R025", "R038", "R048"}:
                continue
            for ocid in tenderer_processes.get(tid, []):
                if ocid in by_ocid:
                    flags.append(
                        Flag(
                            pemda=pemda,
                            package=by_ocid[ocid],
                            code=code,
                            value=value,
                            detail={"group": "Tenderer", "id": tid},
                        )
                    )
    for group, key in (("Buyer", "buyer"), ("ProcuringEntity", "procuringEntity")):
        for org_id, results in document.get(group, {}).items():
            for package in by_ocid.values():
                release = package_release(package)
                ref = release.get(key) if key == "buyer" else (release.get("tender") or {}).get(key)
                if isinstance(ref, dict) and ref.get("id") == org_id:
                    for code, value in results.items():
                        flags.append(
                            Flag(
                                pemda=pemda,
                                package=package,
                                code=code,
                                value=value,
                                detail={"group": group, "id": org_id},
                            )
                        )
    flags += indonesian_flags(pemda=pemda, packages=packages)
    Flag.objects.bulk_create(flags)
    weight = weights()
    scores: dict[int, float] = {}
    seen: set[tuple[int, str]] = set()
    for flag in flags:
        if (flag.package_id, flag.code) in seen:
            continue
        seen.add((flag.package_id, flag.code))
        scores[flag.package_id] = scores.get(flag.package_id, 0) + weight.get(flag.code, 1)
    for package in packages:
        package.risk_score = scores.get(package.pk, 0.0)
    Package.objects.bulk_update(packages, ["risk_score"])
    audit_record(
        actor=acting_user,
        action="procurement.indicators",
        obj=None,
        pemda_id=pemda.pk,
        summary={"packages": len(packages), "flags": len(flags)},
    )
    # The COI flags were replaced with the rest: screen the declarations again (conflicts app).
    from pakta.conflicts.services.procurement import procurement_screen_against_declarations

    coi = procurement_screen_against_declarations(pemda=pemda, acting_user=acting_user)
    return {"packages": len(packages), "flags": len(flags) + coi}


def package_rescore(*, package: Package) -> float:
    """The package's risk score from its distinct flags; a COI flag weighs ``COI`` (high
    priority) when one of its relationships was not declared, else ``COI_DECLARED``."""
    weight = weights()
    codes = set(Flag.objects.filter(package=package).values_list("code", flat=True))
    score = sum(weight.get(code, 1) for code in codes if code != "COI")
    coi = list(Flag.objects.filter(package=package, code="COI").values_list("detail", flat=True))
    if coi:
        undeclared = any((d or {}).get("undeclared", True) for d in coi)
        score += weight["COI"] if undeclared else weight.get("COI_DECLARED", weight["COI"])
    package.risk_score = score
    package.save(update_fields=["risk_score"])
    return score


@transaction.atomic
def conflict_raise(*, package: Package, acting_user: Any, detail: dict[str, Any]) -> Flag:
    """Raise a package's COI flag: the conflicts app
    (``conflicts.services.procurement.procurement_screen_against_declarations``) calls this when
    an official of the package is related to a tenderer or supplier. ``detail`` carries the
    explanation and evidence in Indonesian, and ``undeclared``: an undeclared relationship
    weighs ``COI`` and puts the package at the top of the Inspektorat's queue."""
    flag = Flag.objects.create(
        pemda=package.pemda, package=package, code="COI", value=1.0, detail=detail
    )
    package_rescore(package=package)
    audit_record(
        actor=acting_user,
        action="procurement.indicators",
        obj=package,
        summary={
            "code": "COI",
            "risk_score": package.risk_score,
            "priority": detail.get("priority", "high"),
        },
    )
    return flag
