"""Staff passwords: the policy a new password must meet, and hashing (argon2id
through libpass, the maintained passlib fork).

The policy (ASVS 5.0 V6.2): at least :data:`MIN_PASSWORD_LENGTH` characters,
at most :data:`MAX_PASSWORD_LENGTH`, and not guessable: zxcvbn (Dropbox's
maintained strength estimator, which knows the common-password lists, keyboard
patterns, repeats and dates) must rate it at least :data:`MIN_STRENGTH`, with
the account's e-mail and name as words an attacker would try first. The admin
page, the command line and any other account creation go through
:func:`password_problem`.
"""

from __future__ import annotations

import re

from passlib.context import CryptContext
from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
# What the API's token form accepts: far below the hasher's own ceiling (4 KiB),
# so no password of an account can be too long to log in with.
MAX_PASSWORD_LENGTH = 1024
MIN_STRENGTH = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" for an online attack and more
# zxcvbn's cost grows with length; its authors advise estimating a prefix.
_ESTIMATED_PREFIX = 100
_MIN_CONTEXT_WORD = 3  # shorter name parts ("Li", initials) would strip ordinary letters

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


def password_problem(password: str, *, email: str, full_name: str) -> str | None:
    """Why ``password`` may not be set for this account (a reason code), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long"
    local_part = email.split("@", 1)[0]
    words = {email, local_part, full_name, *full_name.split(), *re.split(r"[._+-]", local_part)}
    ranked = sorted((w.lower() for w in words if len(w) >= _MIN_CONTEXT_WORD), key=len, reverse=True)
    # zxcvbn finds one context word, not always several glued together: what is left once
    # the account's own words are taken out is what an attacker who knows them must guess.
    unknown = password.lower()
    for word in ranked:
        unknown = unknown.replace(word, "")
    for candidate in {password, unknown}:
        if zxcvbn(candidate[:_ESTIMATED_PREFIX] or " ", user_inputs=ranked)["score"] < MIN_STRENGTH:
            return "too_easy_to_guess"
    return None


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
