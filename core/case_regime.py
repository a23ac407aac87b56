"""Which sanction regime applies to a case, from the employee's type (domain.md §1-2).

PNS and PPPK are ASN: the SKB 2022 annex gives them an ethics track (KE- codes, PP 42/2004) and a
discipline track (HD- codes, PP 94/2021). Tenaga kontrak (``NON_ASN``) are not under PP 94/2021: the
regent's circular and their employment contract govern them, so a case about them never carries an
HD- code. The regime is derived, not stored, so a corrected employee type corrects every page at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.models.enums import EmployeeType

__all__ = ["ASN", "CONTRACT", "Regime", "codes_for", "regime_of"]


@dataclass(frozen=True)
class Regime:
    """A sanction regime: its key, the legal basis in words (id/en) and which code tracks it admits."""

    key: str
    basis: str
    basis_en: str
    discipline: bool  # whether HD- (PP 94/2021) codes apply


ASN = Regime("asn", "SKB 2022 (kode etik KE-, PP 42/2004) dan PP 94/2021 (disiplin HD-)",
             "SKB 2022 (ethics codes KE-, PP 42/2004) and PP 94/2021 (discipline codes HD-)", True)
CONTRACT = Regime("contract", "Surat edaran bupati tentang netralitas dan kontrak kerja pegawai; bukan PP 94/2021",
                  "The regent's neutrality circular and the employee's contract; not PP 94/2021", False)


def regime_of(employee_type: str | None) -> Regime:
    """The regime for an employee type; an unknown or missing type counts as contract staff (no HD codes),
    the reading that cannot suggest a PP 94/2021 sanction to someone it may not cover."""
    if employee_type in (EmployeeType.PNS, EmployeeType.PPPK):
        return ASN
    return CONTRACT


def codes_for(employee_type: str | None, codes: Iterable[str]) -> list[str]:
    """The candidate codes that apply to this employee type, in order: HD- codes dropped for contract staff."""
    regime = regime_of(employee_type)
    return [c for c in codes if regime.discipline or not c.startswith("HD-")]
