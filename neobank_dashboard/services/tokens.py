"""API access tokens: short-lived HS256 JWTs for advisors and partner applications.

One algorithm family only (HMAC-SHA256 with ``settings.secret_key``, whose
development default production refuses). A token must carry ``exp``, ``iat``,
``sub``, ``aud`` and ``iss``; its header must say ``HS256``: ``alg: none`` and
every other algorithm are refused before the signature is even looked at. A token
is refused when it claims a longer life than :data:`TOKEN_LIFETIME` or an ``iat``
in the future: whoever held the key once (a leaked secret, a misconfigured issuer)
cannot mint tokens that outlive its rotation.
Tokens hold identifiers, a role and scopes only: never an e-mail or a secret.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import jwt

from neobank_dashboard.db.models import Role
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.auth import SUPERVISING_ROLES
from neobank_dashboard.settings import get_settings

ALGORITHM = "HS256"
TOKEN_LIFETIME = timedelta(minutes=15)
REQUIRED_CLAIMS = ("exp", "iat", "sub", "aud", "iss")
LEEWAY_SECONDS = 5


class Scope(StrEnum):
    """What a token allows. Decisions are for advisors only, whatever the scopes."""

    score_write = "score:write"
    clients_read = "clients:read"
    rgpd_write = "rgpd:write"  # data-subject requests: supervisors and admins only
    outcomes_write = "outcomes:write"  # realised outcomes: they feed the model's monitoring


PARTNER_SCOPES = frozenset({Scope.score_write, Scope.clients_read})
STAFF_ONLY_SCOPES = frozenset(Scope) - PARTNER_SCOPES
"""Scopes no partner application is ever granted."""
ADVISOR_SCOPES = frozenset(Scope)  # the most a staff token can carry; see staff_scopes
SUPERVISOR_ONLY_SCOPES = frozenset({Scope.rgpd_write, Scope.outcomes_write})


_SCOPE_SEPARATORS = re.compile(r"[\s,]+")


class ScopeError(ValueError):
    """A list of scopes names one outside those allowed (the message says which)."""


def parse_scopes(scopes: str | Iterable[str], allowed: Iterable[str] = frozenset(Scope)) -> frozenset[str]:
    """The scopes of ``"a,b"``, ``"a b"``, ``"a, b"`` or an iterable: one parser for the
    CLI and the token route. A scope outside ``allowed`` is refused by name."""
    parts = _SCOPE_SEPARATORS.split(scopes) if isinstance(scopes, str) else scopes
    wanted = frozenset(part.strip() for part in parts if part and part.strip())
    choices = frozenset(map(str, allowed))
    if refused := sorted(wanted - choices):
        names = ", ".join(repr(name) for name in refused)
        what = f"unknown scope {names}" if set(refused) - set(Scope) else f"scope {names} not allowed here"
        raise ScopeError(f"{what}: choose from {', '.join(sorted(choices))}")
    return wanted


def staff_scopes(role: Role | str) -> frozenset[str]:
    """The scopes a staff member of ``role`` may hold (checked again on every call)."""
    if Role(role) in SUPERVISING_ROLES:
        return ADVISOR_SCOPES
    return ADVISOR_SCOPES - SUPERVISOR_ONLY_SCOPES


class PrincipalKind(StrEnum):
    advisor = "advisor"
    partner = "partner"


@dataclass(frozen=True)
class Principal:
    """Who calls the API, as the token says: an advisor or a partner application.

    ``subject`` is the JWT ``sub`` and the audit actor: ``advisor:<id>`` or
    ``partner:<client_id>``.
    """

    kind: PrincipalKind
    subject: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    role: Role | None = None

    @property
    def actor(self) -> str:
        return self.subject

    @property
    def is_advisor(self) -> bool:
        return self.kind == PrincipalKind.advisor

    @property
    def key(self) -> str:
        """The identifier after the kind prefix (advisor id or partner client id)."""
        return self.subject.split(":", 1)[1]

    def has_scope(self, scope: Scope | str) -> bool:
        return str(scope) in self.scopes

    @classmethod
    def advisor(cls, advisor_id: int, role: Role, scopes=None) -> Principal:
        scopes = staff_scopes(role) if scopes is None else scopes
        return cls(PrincipalKind.advisor, f"advisor:{advisor_id}", frozenset(scopes), Role(role))

    @classmethod
    def partner(cls, client_id: str, scopes) -> Principal:
        return cls(PrincipalKind.partner, f"partner:{client_id}", frozenset(scopes))


class TokenError(Exception):
    """The bearer token cannot be trusted. ``reason`` is a stable code for the audit log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scopes: frozenset[str]
    token_type: str = "bearer"

    @property
    def scope(self) -> str:
        return " ".join(sorted(self.scopes))


def issue_token(principal: Principal, *, now: datetime | None = None) -> IssuedToken:
    """Sign a token for ``principal``, valid for :data:`TOKEN_LIFETIME`."""
    settings = get_settings()
    now = now or utcnow()
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": principal.subject,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + TOKEN_LIFETIME).timestamp()),
        "jti": uuid.uuid4().hex,
        "kind": principal.kind.value,
        "scope": " ".join(sorted(principal.scopes)),
    }
    if principal.role is not None:
        claims["role"] = principal.role.value
    token = jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)
    return IssuedToken(token, int(TOKEN_LIFETIME.total_seconds()), principal.scopes)


_VERIFIED_CACHE_SIZE = 4096
_verified: OrderedDict[tuple[str, str, str, str], tuple[Principal, float]] = OrderedDict()
_verified_lock = threading.Lock()


def decode_token(token: str) -> Principal:
    """The principal a token names, or :class:`TokenError` (signature, algorithm,
    audience, issuer, expiry, missing claims, malformed content).

    A token already verified is not verified again until it expires: the same
    string carries the same signature (the key includes the secret, audience and
    issuer), so only its expiry can change the answer. Partner applications
    present the same token for 15 minutes; checking it costs a dict lookup.
    """
    settings = get_settings()
    key = (token, settings.secret_key, settings.jwt_audience, settings.jwt_issuer)
    with _verified_lock:
        hit = _verified.get(key)
        if hit is not None:
            _verified.move_to_end(key)
    if hit is not None:
        if time.time() < hit[1] + LEEWAY_SECONDS:
            return hit[0]
        raise TokenError("expired")
    principal, expires = _decode(token)
    with _verified_lock:
        _verified[key] = (principal, expires)
        if len(_verified) > _VERIFIED_CACHE_SIZE:
            _verified.popitem(last=False)
    return principal


def _decode(token: str) -> tuple[Principal, float]:
    settings = get_settings()
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise TokenError("malformed") from error
    if header.get("alg") != ALGORITHM:
        raise TokenError("algorithm_refused")
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.ExpiredSignatureError as error:
        raise TokenError("expired") from error
    except jwt.ImmatureSignatureError as error:  # ``iat`` or ``nbf`` in the future
        raise TokenError("not_yet_valid") from error
    except jwt.InvalidAudienceError as error:
        raise TokenError("wrong_audience") from error
    except jwt.InvalidIssuerError as error:
        raise TokenError("wrong_issuer") from error
    except jwt.InvalidSignatureError as error:
        raise TokenError("bad_signature") from error
    except jwt.MissingRequiredClaimError as error:
        raise TokenError("missing_claim") from error
    except jwt.PyJWTError as error:
        raise TokenError("invalid") from error
    _check_lifetime(claims)
    return _principal(claims), float(claims["exp"])


def _check_lifetime(claims: dict) -> None:
    # PyJWT has checked that both are numbers and that ``iat`` is not in the future.
    if int(claims["exp"]) - int(claims["iat"]) > TOKEN_LIFETIME.total_seconds():
        raise TokenError("lifetime_too_long")


def _principal(claims: dict) -> Principal:
    subject, kind, scope = claims.get("sub"), claims.get("kind"), claims.get("scope", "")
    if not isinstance(subject, str) or not isinstance(scope, str):
        raise TokenError("invalid_claims")
    scopes = frozenset(scope.split())
    if kind == PrincipalKind.advisor and subject.startswith("advisor:"):
        try:
            return Principal.advisor(
                int(subject.split(":", 1)[1]), Role(claims.get("role", "")), scopes & ADVISOR_SCOPES
            )
        except (ValueError, TypeError) as error:
            raise TokenError("invalid_claims") from error
    if kind == PrincipalKind.partner and subject.startswith("partner:") and len(subject) > 8:
        return Principal.partner(subject.split(":", 1)[1], scopes & PARTNER_SCOPES)
    raise TokenError("invalid_claims")
