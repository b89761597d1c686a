"""Password hashing with argon2id (argon2-cffi)."""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Tests and demo loading may lower the cost through the environment; production keeps
# argon2-cffi's recommended defaults.
_hasher = (
    PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    if os.environ.get("PARKBENCH_FAST_PASSWORD_HASH") == "1"
    else PasswordHasher()
)
# Verifying against this keeps unknown e-mails as slow as wrong passwords.
_DUMMY_HASH = _hasher.hash("parkbench-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
