"""Pure account rules: the GB 32100 credit code, e-mail shape, password policy."""

from __future__ import annotations

import re

from i18n.translations import N_

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V); the last is a
# check character computed from the first 17 with these weights, modulo 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(code: str) -> str:
    return code.strip().upper()


def is_valid_uscc(code: str) -> bool:
    code = normalize_uscc(code)
    if len(code) != 18 or any(ch not in USCC_ALPHABET for ch in code):
        return False
    return uscc_check_character(code[:17]) == code[17]


def normalize_email(email: str) -> str:
    return email.strip().lower()


def is_plausible_email(email: str) -> bool:
    return bool(_EMAIL.match(email)) and len(email) <= 254


def password_problem(password: str) -> str | None:
    """A msgid describing what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return N_("The password must have at least %(n)s characters.")
    return None
