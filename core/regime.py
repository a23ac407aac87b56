"""Which rules an employee's conduct is measured against, by employee type (domain.md §1-2).

- PNS and PPPK are ASN: the 2022 joint decree (SKB) on neutrality lists the conduct with its ethics code
  (KE-) and its discipline code under PP 94/2021 (HD-); both apply.
- Tenaga kontrak / honorer are not ASN: PP 94/2021 does not reach them, so a discipline code (HD-) would be
  a wrong legal basis. They are bound by the regent's circular and their contract; the SKB's ethics
  list still describes the conduct (KE-), which is what a reviewer and the desk need to see.

Cases say which regime applies, and intake keeps only the codes that regime allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.models.enums import EmployeeType


@dataclass(frozen=True)
class Regime:
    """A rule set: its key, the code prefixes that can apply, and a short description (English msgid)."""

    key: str
    prefixes: tuple[str, ...]
    description: str
    description_id: str  # for documents sent out in Indonesian (dossier)


ASN = Regime("asn", ("KE-", "HD-"),
             "ASN (PNS/PPPK): SKB 2022 ethics codes (KE-) and PP 94/2021 discipline codes (HD-)",
             "ASN (PNS/PPPK): kode etik SKB 2022 (KE-) dan kode disiplin PP 94/2021 (HD-)")
NON_ASN = Regime("non_asn", ("KE-",),
                 "Contract staff (non-ASN): the regent's circular and the employment contract; the SKB ethics "
                 "list describes the conduct (KE-), PP 94/2021 discipline codes do not apply",
                 "Tenaga kontrak (non-ASN): Surat Edaran Bupati dan perjanjian kerja; daftar etik SKB menggambarkan "
                 "perbuatannya (KE-), kode disiplin PP 94/2021 tidak berlaku")


def regime_for(employee_type: str | None) -> Regime:
    """The regime of an employee type; unknown types are treated as ASN (the stricter reading is a human's)."""
    return NON_ASN if employee_type == EmployeeType.NON_ASN else ASN


def applicable(codes: Iterable[str], employee_type: str | None) -> list[str]:
    """``codes`` without the ones the employee's regime excludes (order kept)."""
    prefixes = regime_for(employee_type).prefixes
    return [c for c in codes if str(c).startswith(prefixes)]
