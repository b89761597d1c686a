"""The roles an account can have, declared once with their labels."""

from __future__ import annotations

from enum import StrEnum

from i18n import gettext
from i18n.translations import N_


class Role(StrEnum):
    ENGINEER = "engineer"
    ENTERPRISE_ADMIN = "enterprise_admin"
    OPERATOR = "operator"
    PARK_ADMIN = "park_admin"

    @property
    def label(self) -> str:
        return gettext(ROLE_LABELS[self])

    @property
    def is_member(self) -> bool:
        """Members belong to an enterprise; staff (operators, the park) do not."""
        return self in (Role.ENGINEER, Role.ENTERPRISE_ADMIN)


ROLE_LABELS: dict[Role, str] = {
    Role.ENGINEER: N_("Engineer"),
    Role.ENTERPRISE_ADMIN: N_("Enterprise admin"),
    Role.OPERATOR: N_("Platform operator"),
    Role.PARK_ADMIN: N_("Park administrator"),
}


class MemberRole(StrEnum):
    """The roles an enterprise gives its own members (the members API speaks these)."""

    ENGINEER = "engineer"
    ADMIN = "admin"

    @property
    def role(self) -> Role:
        return Role.ENTERPRISE_ADMIN if self is MemberRole.ADMIN else Role.ENGINEER

    @property
    def label(self) -> str:
        return self.role.label

    @classmethod
    def of(cls, role: str) -> MemberRole:
        return cls.ADMIN if role == Role.ENTERPRISE_ADMIN else cls.ENGINEER
