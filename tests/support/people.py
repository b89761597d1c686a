"""Enterprises, people and their API tokens, made on demand in tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from booking.accounts import service as accounts
from booking.accounts.principal import Principal
from booking.accounts.rules import uscc_check_character

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def make_uscc(n: int) -> str:
    body = f"913205{n:011d}"
    return body + uscc_check_character(body)


@dataclass
class Person:
    id: int
    email: str
    token: str
    principal: Principal
    enterprise_id: int | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class People:
    enterprises: dict[str, int] = field(default_factory=dict)

    async def enterprise(self, key: str = "acme", tier: str = "park") -> int:
        if key not in self.enterprises:
            self.enterprises[key] = await accounts.create_enterprise(
                name_zh=f"{key} 公司", name_en=f"{key} Ltd.", uscc=make_uscc(next(_counter)),
                tier=tier,
            )
        return self.enterprises[key]

    async def _person(self, role: str, enterprise_id: int | None,
                      platforms: list[str] | None = None, locale: str | None = None) -> Person:
        email = f"{role}{next(_counter)}@example.test"
        account_id = await accounts.create_account(
            email=email, password=PASSWORD, role=role, display_name=email.split("@")[0],
            enterprise_id=enterprise_id, platform_codes=platforms or [], locale=locale,
        )
        token, _ = await accounts.issue_token(account_id, "test")
        principal = await accounts.load_principal(account_id)
        assert principal is not None
        return Person(account_id, email, token, principal, enterprise_id)

    async def engineer(self, enterprise: str = "acme", tier: str = "park",
                       qualifications: list[str] | None = None,
                       locale: str | None = None) -> Person:
        enterprise_id = await self.enterprise(enterprise, tier)
        person = await self._person("engineer", enterprise_id, locale=locale)
        for code in qualifications or []:
            await self.qualify(person, code)
        return person

    async def enterprise_admin(self, enterprise: str = "acme", tier: str = "park") -> Person:
        return await self._person("enterprise_admin", await self.enterprise(enterprise, tier))

    async def operator(self, *platforms: str) -> Person:
        return await self._person("operator", None, list(platforms))

    async def park_admin(self) -> Person:
        return await self._person("park_admin", None)

    async def qualify(self, person: Person, code: str) -> None:
        from platforms.tables import Qualification

        qual = await Qualification.select().where(Qualification.code == code).first()
        admin = await self.park_admin()
        await accounts.grant_qualification(operator=admin.principal, account_id=person.id,
                                           qualification_id=qual["id"])
