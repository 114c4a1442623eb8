"""Issue 13 item 9: a token signed with the right key cannot claim a longer life
than the issuer grants, nor an issue date in the future (staff and partner tokens)."""

from __future__ import annotations

import time

import jwt
import pytest

from neobank_dashboard.services.tokens import (
    ALGORITHM,
    TOKEN_LIFETIME,
    TokenError,
    decode_token,
)
from neobank_dashboard.settings import get_settings

TEN_YEARS = 10 * 365 * 24 * 3600


def _signed(kind: str, *, iat: int, exp: int) -> str:
    settings = get_settings()
    subject = {"advisor": "advisor:1", "partner": "partner:partner-a"}[kind]
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject,
        "iat": iat,
        "exp": exp,
        "kind": kind,
        "scope": "score:write",
        **({"role": "advisor"} if kind == "advisor" else {}),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


@pytest.mark.parametrize("kind", ["advisor", "partner"])
def test_a_token_living_ten_years_is_refused(kind):
    now = int(time.time())
    with pytest.raises(TokenError) as error:
        decode_token(_signed(kind, iat=now, exp=now + TEN_YEARS))
    assert error.value.reason == "lifetime_too_long"


@pytest.mark.parametrize("kind", ["advisor", "partner"])
def test_a_token_issued_in_the_future_is_refused(kind):
    now = int(time.time())
    with pytest.raises(TokenError) as error:
        decode_token(_signed(kind, iat=now + 3600, exp=now + 3600 + 60))
    assert error.value.reason == "not_yet_valid"


@pytest.mark.parametrize("kind", ["advisor", "partner"])
def test_a_token_of_the_configured_lifetime_is_accepted(kind):
    now = int(time.time())
    principal = decode_token(_signed(kind, iat=now, exp=now + int(TOKEN_LIFETIME.total_seconds())))
    assert principal.kind == kind


def test_the_api_answers_401_to_a_long_lived_token(api):
    now = int(time.time())
    token = _signed("partner", iat=now, exp=now + TEN_YEARS)
    response = api.get("/api/v1/model", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
