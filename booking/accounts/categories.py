"""The categories an enterprise is registered under, declared once with their labels.

Vouchers and reports read two of them through the ``is_sme`` and ``is_specialised``
columns; ``flags()`` is the one rule that derives those columns from the categories.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from i18n import gettext
from i18n.translations import N_


class EnterpriseCategory(StrEnum):
    SME = "sme"  # 中小企业
    TECH_SME = "tech_sme"  # 科技型中小企业
    SPECIALISED = "specialised"  # 专精特新
    LITTLE_GIANT = "little_giant"  # 专精特新“小巨人”
    HIGH_TECH = "high_tech"  # 高新技术企业
    SINGLE_CHAMPION = "single_champion"  # 制造业单项冠军
    UNICORN = "unicorn"  # 独角兽企业
    LISTED = "listed"  # 上市公司

    @property
    def label(self) -> str:
        return gettext(CATEGORY_LABELS[self])

    @classmethod
    def label_of(cls, code: str) -> str:
        try:
            return cls(code).label
        except ValueError:
            return code


CATEGORY_LABELS: dict[EnterpriseCategory, str] = {
    EnterpriseCategory.SME: N_("Small or medium-sized enterprise"),
    EnterpriseCategory.TECH_SME: N_("Technology-based SME"),
    EnterpriseCategory.SPECIALISED: N_("Specialised and innovative SME"),
    EnterpriseCategory.LITTLE_GIANT: N_("Specialised \"little giant\""),
    EnterpriseCategory.HIGH_TECH: N_("High-tech enterprise"),
    EnterpriseCategory.SINGLE_CHAMPION: N_("Manufacturing single champion"),
    EnterpriseCategory.UNICORN: N_("Unicorn"),
    EnterpriseCategory.LISTED: N_("Listed company"),
}

# A technology-based SME is an SME; a "little giant" is the top rank of 专精特新.
_SME = frozenset({EnterpriseCategory.SME, EnterpriseCategory.TECH_SME})
_SPECIALISED = frozenset({EnterpriseCategory.SPECIALISED, EnterpriseCategory.LITTLE_GIANT})


def normalized(categories: Iterable[str]) -> tuple[EnterpriseCategory, ...]:
    """Known categories, each once, in declaration order (raises ValueError otherwise)."""
    chosen = {EnterpriseCategory(code) for code in categories}
    return tuple(c for c in EnterpriseCategory if c in chosen)


def flags(categories: Iterable[EnterpriseCategory]) -> tuple[bool, bool]:
    """``(is_sme, is_specialised)`` as the reports read them."""
    chosen = set(categories)
    return bool(chosen & _SME), bool(chosen & _SPECIALISED)


def from_flags(is_sme: bool, is_specialised: bool) -> tuple[EnterpriseCategory, ...]:
    """The categories of an enterprise known only by the two old flags."""
    return normalized([c for c, on in ((EnterpriseCategory.SME, is_sme),
                                       (EnterpriseCategory.SPECIALISED, is_specialised)) if on])


def stored(categories: Iterable[EnterpriseCategory]) -> str:
    return ",".join(c.value for c in normalized(categories))


def parse_stored(value: str | None) -> tuple[EnterpriseCategory, ...]:
    """The column's codes; an unknown code (from a newer release) is skipped."""
    known = {c.value for c in EnterpriseCategory}
    return normalized(code for code in (value or "").split(",") if code in known)
