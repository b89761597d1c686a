"""Request and response bodies of the accounts API (OpenAPI shows these)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from booking.accounts.categories import EnterpriseCategory
from booking.accounts.roles import MemberRole
from platforms.choices import Tier

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
OptionalName = Annotated[str, msgspec.Meta(max_length=200)]
# Longer than 18 so that a code with stray spaces reaches the check and gets invalid_uscc.
CreditCode = Annotated[str, msgspec.Meta(max_length=40)]
Email = Annotated[str, msgspec.Meta(max_length=254)]
ContactName = Annotated[str, msgspec.Meta(max_length=100)]
Phone = Annotated[str, msgspec.Meta(max_length=50)]
Categories = Annotated[list[EnterpriseCategory], msgspec.Meta(max_length=len(EnterpriseCategory))]
Locale = Literal["zh_CN", "en"]


class EnterpriseIn(msgspec.Struct, forbid_unknown_fields=True):
    name_zh: Name
    uscc: CreditCode
    tier: Tier
    name_en: OptionalName = ""
    categories: Categories = msgspec.field(default_factory=list)
    controller_uscc: CreditCode | None = None
    contact_name: ContactName = ""
    contact_email: Email = ""
    contact_phone: Phone = ""


class EnterprisePatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields sent are changed."""

    name_zh: Name | msgspec.UnsetType = msgspec.UNSET
    name_en: OptionalName | msgspec.UnsetType = msgspec.UNSET
    uscc: CreditCode | msgspec.UnsetType = msgspec.UNSET
    tier: Tier | msgspec.UnsetType = msgspec.UNSET
    categories: Categories | msgspec.UnsetType = msgspec.UNSET
    controller_uscc: CreditCode | None | msgspec.UnsetType = msgspec.UNSET
    contact_name: ContactName | msgspec.UnsetType = msgspec.UNSET
    contact_email: Email | msgspec.UnsetType = msgspec.UNSET
    contact_phone: Phone | msgspec.UnsetType = msgspec.UNSET

    def changes(self) -> dict[str, object]:
        values = {f: getattr(self, f) for f in self.__struct_fields__
                  if getattr(self, f) is not msgspec.UNSET}
        if "controller_uscc" in values and values["controller_uscc"] is None:
            values["controller_uscc"] = ""
        return values


class GroupMember(msgspec.Struct):
    id: int
    name: str
    uscc: str
    is_controller: bool


class EnterpriseOut(msgspec.Struct):
    id: int
    name: str
    name_zh: str
    name_en: str
    uscc: str
    tier: Tier
    categories: list[EnterpriseCategory]
    controller_uscc: str | None
    is_sme: bool
    is_specialised: bool
    contact_name: str
    contact_email: str
    contact_phone: str
    created_at: datetime
    updated_at: datetime
    group: list[GroupMember] | None = None


class EnterprisePage(msgspec.Struct):
    items: list[EnterpriseOut]
    offset: int
    limit: int
    has_more: bool


class MemberIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    name: Annotated[str, msgspec.Meta(max_length=100)] = ""
    role: MemberRole = MemberRole.ENGINEER
    locale: Locale | None = None  # of the invitation e-mail and the account


class RoleIn(msgspec.Struct, forbid_unknown_fields=True):
    role: MemberRole


class MemberOut(msgspec.Struct):
    id: int
    email: str
    name: str
    role: MemberRole
    active: bool
    invited: bool  # has not yet set a password through the invitation
    last_login_at: datetime | None


class PlatformRef(msgspec.Struct):
    id: int
    code: str


class EnterpriseRef(msgspec.Struct):
    id: int
    name: str
    tier: Tier
    categories: list[EnterpriseCategory]


class MeOut(msgspec.Struct):
    id: int
    email: str
    name: str
    roles: list[str]
    enterprise_id: int | None
    enterprise: EnterpriseRef | None
    platforms: list[PlatformRef]
    locale: str | None
    timezone: str
