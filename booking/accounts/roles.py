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
