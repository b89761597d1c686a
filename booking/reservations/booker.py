"""Who a new booking is for, and in whose name it is made.

A member books for themselves. The staff of the resource's platform book on behalf
of an enterprise: for a named engineer of it (whose qualification still counts), or
for the enterprise alone, in which case the staff run the instrument for it (代测,
a staff-operated booking): the operator is the booker of record, no qualification
of the enterprise's is asked for, and the enterprise is charged.
"""

from __future__ import annotations

from dataclasses import dataclass

from booking.accounts.permissions import Can, require
from booking.accounts.principal import Principal
from booking.accounts.tables import Account, Enterprise
from booking.errors import NotFound, RuleViolation
from i18n.translations import N_

MEMBERS_ONLY = N_("Only members of an enterprise can book. Operators book on behalf.")
PLATFORM_STAFF_ONLY = N_("Only the operators of the resource's platform book on behalf of an "
                         "enterprise.")


@dataclass(frozen=True, slots=True)
class Booker:
    account_id: int
    enterprise_id: int
    on_behalf: bool  # made by the platform's staff: no approval, notice, horizon or quota
    staff_operated: bool  # no engineer named: the platform's staff run it

    @property
    def needs_qualification(self) -> bool:
        return not self.staff_operated

    @property
    def reason(self) -> str:
        """What the booking's history says of how it was made."""
        if self.staff_operated:
            return "staff operated"
        return "on behalf" if self.on_behalf else ""


async def booker_for(principal: Principal, platform_id: int, *, enterprise_id: int | None,
                     account_id: int | None) -> Booker:
    """The booker of a new booking of a resource of ``platform_id``; raises ``Forbidden``
    (nothing written yet) when the principal may not book it so."""
    if enterprise_id is None and account_id is None:
        require(principal, Can.BOOK, code="not_a_member", message=MEMBERS_ONLY)
        return Booker(principal.id, principal.enterprise_id,  # type: ignore[arg-type]
                      on_behalf=False, staff_operated=False)
    require(principal, Can.BOOK_ON_BEHALF, platform_id=platform_id, message=PLATFORM_STAFF_ONLY)
    if account_id is not None:
        row = await Account.select(Account.id, Account.enterprise).where(
            Account.id == account_id).first()
        if row is None or row["enterprise"] is None:
            raise NotFound("account_not_found", "No such engineer.")
        if enterprise_id is not None and row["enterprise"] != enterprise_id:
            raise RuleViolation("account_not_in_enterprise",
                                "The engineer is not a member of that enterprise.")
        return Booker(row["id"], row["enterprise"], on_behalf=True, staff_operated=False)
    if not await Enterprise.exists().where(Enterprise.id == enterprise_id):
        raise NotFound("enterprise_not_found", "No such enterprise.")
    return Booker(principal.id, enterprise_id, on_behalf=True,  # type: ignore[arg-type]
                  staff_operated=True)
