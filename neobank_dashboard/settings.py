"""Application settings, read from the environment once.

Development (`NEOBANK_ENV=dev`, the default) works out of the box on a laptop:
SQLite under ``var/``, demo accounts, a development secret. Production
(`NEOBANK_ENV=prod`) refuses to start until every insecure default is replaced;
:meth:`Settings.check_safe_for_environment` names the offending setting.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key-never-use-in-production-0000"
DEV_DEMO_PASSWORD = "demo-password-2026"
DEV_DEMO_PARTNER_SECRET = "demo-partner-secret-dev-only-2026"
MIN_SECRET_BYTES = 32
SECRET_HINT = (
    f"set at least {MIN_SECRET_BYTES} random bytes, e.g. the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
)
EXEMPTIBLE_REVIEW_KINDS = frozenset({"override", "grey_zone", "stale_data"})
REFLEX_OFFLINE_ENV = {
    "REFLEX_USE_NPM": "1",
    "REFLEX_TELEMETRY_ENABLED": "false",
    "REFLEX_CHECK_LATEST_VERSION": "false",
}
"""How every `reflex` command runs here: npm (no bun download), no telemetry, no version
probe (the Makefile exports the same for `make run`)."""
PROD_WEB_DIR = PROJECT_ROOT / ".web-prod"
"""Where production builds compile the frontend (Reflex's ``REFLEX_WEB_WORKDIR``): never the
``.web`` of a running ``make run``, whose dev server would reload the other build's files
(the websocket address among them) and break."""


class InsecureSettingsError(RuntimeError):
    """Raised at start-up when production settings keep an insecure default."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    env: Literal["dev", "prod"] = Field("dev", validation_alias="NEOBANK_ENV")
    data_dir: Path = Field(PROJECT_ROOT / "var", validation_alias="NEOBANK_DATA_DIR")
    database_url_override: str | None = Field(None, validation_alias="REFLEX_DB_URL")
    redis_url: str | None = Field(None, validation_alias="REFLEX_REDIS_URL")
    secret_key: str = Field(DEV_SECRET_KEY, validation_alias="NEOBANK_SECRET_KEY")
    cors_allowed_origins: str = Field(
        "*", validation_alias=AliasChoices("REFLEX_CORS_ALLOWED_ORIGINS", "NEOBANK_CORS_ORIGINS")
    )
    public_url: str | None = Field(
        None,
        description="origin the browser uses (the TLS proxy), e.g. https://advisors.bank.example",
        validation_alias="NEOBANK_PUBLIC_URL",
    )
    trusted_proxies: str = Field("127.0.0.1", validation_alias="NEOBANK_TRUSTED_PROXIES")
    host: str = Field(
        "127.0.0.1",
        min_length=1,
        description="interface the app listens on: `make run` (backend and Vite dev server), "
        "`make run-api`, `make run-prod`; 0.0.0.0 exposes it to the network",
        validation_alias="NEOBANK_HOST",
    )
    demo_accounts_override: bool | None = Field(None, validation_alias="NEOBANK_DEMO_ACCOUNTS")
    demo_password: str = Field(DEV_DEMO_PASSWORD, validation_alias="DEMO_PASSWORD")
    model_dir_override: Path | None = Field(None, validation_alias="NEOBANK_MODEL_DIR")
    scoring_mode: Literal["auto", "manual"] = Field("auto", validation_alias="SCORING_MODE")
    session_hours: int = Field(8, ge=1, le=24, validation_alias="NEOBANK_SESSION_HOURS")
    jwt_issuer: str = Field("neobank-dashboard", validation_alias="NEOBANK_JWT_ISSUER")
    jwt_audience: str = Field("neobank-scoring-api", validation_alias="NEOBANK_JWT_AUDIENCE")
    demo_partner_secret: str = Field(DEV_DEMO_PARTNER_SECRET, validation_alias="DEMO_PARTNER_SECRET")
    # Per access-token subject (advisor or partner application): sustained rate and burst.
    api_rate_per_second: float = Field(50.0, gt=0, validation_alias="NEOBANK_API_RATE_PER_SECOND")
    api_rate_burst: int = Field(100, ge=1, validation_alias="NEOBANK_API_RATE_BURST")
    # The review queue's policy: which kinds of decision the bank exempts from a second
    # look (comma-separated: override, grey_zone, stale_data; contests never are) and the
    # service levels, in business days.
    review_exempt_kinds: str = Field("", validation_alias="NEOBANK_REVIEW_EXEMPT_KINDS")
    review_days_contest: int = Field(5, ge=1, le=60, validation_alias="NEOBANK_REVIEW_DAYS_CONTEST")
    review_days_other: int = Field(2, ge=1, le=60, validation_alias="NEOBANK_REVIEW_DAYS_OTHER")
    # Whose public holidays are not business days (an ISO 3166 code the holidays package knows).
    review_holidays: str = Field("FR", validation_alias="NEOBANK_REVIEW_HOLIDAYS")
    # The decision letter: who the bank is, whom clients write to, how long they may contest.
    bank_name: str = Field("Neobank", min_length=1, max_length=80, validation_alias="NEOBANK_BANK_NAME")
    dpo_contact: str = Field(
        "dpo@bank.example", min_length=1, max_length=300, validation_alias="NEOBANK_DPO_CONTACT"
    )
    letter_names_advisor: bool = Field(False, validation_alias="NEOBANK_LETTER_NAMES_ADVISOR")
    contest_days: int = Field(30, ge=1, le=365, validation_alias="NEOBANK_CONTEST_DAYS")
    # Login attempts per client address, UI and token endpoint together: an office behind
    # one NAT logs in freely, a password sprayer across many accounts does not.
    login_rate_per_minute: float = Field(10.0, gt=0, validation_alias="NEOBANK_LOGIN_RATE_PER_MINUTE")
    login_burst: int = Field(20, ge=1, validation_alias="NEOBANK_LOGIN_BURST")
    # Observability: the Prometheus scraper's bearer token (unset: loopback callers only)
    # and one JSON access-log line per request.
    metrics_token: str | None = Field(None, validation_alias="NEOBANK_METRICS_TOKEN")
    access_log: bool = Field(True, validation_alias="NEOBANK_ACCESS_LOG")

    @property
    def is_prod(self) -> bool:
        return self.env == "prod"

    @property
    def database_url(self) -> str:
        if self.database_url_override:
            return self.database_url_override
        return f"sqlite:///{self.data_dir / 'neobank.db'}"

    @property
    def model_dir(self) -> Path:
        return self.model_dir_override or self.data_dir / "models"

    @property
    def demo_accounts(self) -> bool:
        """Demo accounts exist in development only, unless explicitly switched off."""
        if self.demo_accounts_override is None:
            return not self.is_prod
        return self.demo_accounts_override

    @field_validator("review_exempt_kinds")
    @classmethod
    def _known_exemptions(cls, value: str) -> str:
        kinds = {k.strip() for k in value.split(",") if k.strip()}
        unknown = kinds - EXEMPTIBLE_REVIEW_KINDS
        if unknown:
            raise ValueError(
                f"{sorted(unknown)} cannot be exempted: choose among {sorted(EXEMPTIBLE_REVIEW_KINDS)} "
                "(a client's contest always gets a human review, GDPR Art. 22(3))"
            )
        return value

    @field_validator("review_holidays")
    @classmethod
    def _known_calendar(cls, value: str) -> str:
        import holidays  # only when the setting is read, not on every import of the settings

        if value not in holidays.list_supported_countries():
            raise ValueError(f"{value!r} has no public-holiday calendar: use an ISO code such as FR")
        return value

    @property
    def review_exemptions(self) -> frozenset[str]:
        return frozenset(k.strip() for k in self.review_exempt_kinds.split(",") if k.strip())

    @property
    def cors_origins(self) -> list[str]:
        return [o.strip() for o in self.cors_allowed_origins.split(",") if o.strip()]

    def insecure_settings(self) -> list[str]:
        """Every production rule this configuration breaks, one message per setting,
        each saying what is wrong and how to fix it."""
        if not self.is_prod:
            return []
        problems = []
        if self.secret_key == DEV_SECRET_KEY:
            problems.append(f"NEOBANK_SECRET_KEY is not set (the development default applies): {SECRET_HINT}")
        elif not self.secret_key.strip():
            problems.append(f"NEOBANK_SECRET_KEY is empty: {SECRET_HINT}")
        elif (length := len(self.secret_key.encode())) < MIN_SECRET_BYTES:
            problems.append(f"NEOBANK_SECRET_KEY is only {length} bytes long: {SECRET_HINT}")
        if self.database_url.startswith("sqlite"):
            problems.append(
                "REFLEX_DB_URL is not set or points to SQLite: production needs PostgreSQL, "
                "e.g. postgresql+psycopg://neobank@db.internal:5432/neobank"
            )
        if "*" in self.cors_origins or not self.cors_origins:
            problems.append(
                "REFLEX_CORS_ALLOWED_ORIGINS allows every origin ('*'): list the exact origins, "
                "e.g. https://advisors.bank.example"
            )
        if self.public_url and not _is_https_origin(self.public_url):
            problems.append(
                f"NEOBANK_PUBLIC_URL is {self.public_url!r}: production is served over TLS only; "
                "set the https:// origin of the TLS proxy, e.g. https://advisors.bank.example"
            )
        if self.demo_accounts:
            problems.append(
                "NEOBANK_DEMO_ACCOUNTS is on: demo accounts exist in development only; "
                "remove the setting or set it to false"
            )
        return problems

    def check_safe_for_environment(self) -> None:
        problems = self.insecure_settings()
        if problems:
            listed = "\n".join(f"  - {problem}" for problem in problems)
            raise InsecureSettingsError(f"Refusing to start in production (NEOBANK_ENV=prod):\n{listed}")


def _is_https_origin(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def invalid_settings_message(error: ValidationError) -> str:
    """One line per variable that cannot be read (its value is not repeated: it may be a secret)."""
    lines = [f"  - {'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in error.errors()]
    return "Invalid settings in the environment:\n" + "\n".join(lines)


def exit_if_unsafe() -> None:
    """For the modules that build an app at import (``uvicorn …api.main:app``, the Reflex
    app): unreadable or insecure settings print what to fix, in a few lines on stderr,
    and end the process with status 2 instead of a traceback."""
    try:
        get_settings().check_safe_for_environment()
    except ValidationError as error:
        print(invalid_settings_message(error), file=sys.stderr)
        raise SystemExit(2) from None
    except InsecureSettingsError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None
