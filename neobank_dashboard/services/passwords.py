"""Password and secret hashing: argon2id through libpass (the maintained passlib fork)."""

from __future__ import annotations

from passlib.context import CryptContext

ARGON2_MEMORY_KIB = 19456
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1

_context = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=ARGON2_MEMORY_KIB,
    argon2__rounds=ARGON2_TIME_COST,
    argon2__parallelism=ARGON2_PARALLELISM,
)
# Verified against when the account does not exist, so that an unknown e-mail
# costs the same time as a wrong password.
_DUMMY_HASH = _context.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if not password_hash:
        _context.verify(password, _DUMMY_HASH)
        return False
    return _context.verify(password, password_hash)


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash uses older parameters than the current policy."""
    return _context.needs_update(password_hash)
