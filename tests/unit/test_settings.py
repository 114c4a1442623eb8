"""Production refuses to start with any insecure default; development just works."""

import pytest

from neobank_dashboard.settings import InsecureSettingsError, Settings

SAFE_PROD = {
    "NEOBANK_ENV": "prod",
    "NEOBANK_SECRET_KEY": "x" * 48,
    "REFLEX_DB_URL": "postgresql+psycopg://bank@db.internal/neobank",
    "REFLEX_CORS_ALLOWED_ORIGINS": "https://advisors.bank.example",
}


def prod_settings(monkeypatch, **overrides) -> Settings:
    for key in (
        "NEOBANK_SECRET_KEY",
        "REFLEX_DB_URL",
        "REFLEX_CORS_ALLOWED_ORIGINS",
        "NEOBANK_DEMO_ACCOUNTS",
    ):
        monkeypatch.delenv(key, raising=False)
    for key, value in (SAFE_PROD | overrides).items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    return Settings()


def test_development_defaults_start(monkeypatch):
    monkeypatch.setenv("NEOBANK_ENV", "dev")
    settings = Settings()
    settings.check_safe_for_environment()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.demo_accounts


def test_safe_production_settings_start(monkeypatch):
    settings = prod_settings(monkeypatch)
    settings.check_safe_for_environment()
    assert not settings.demo_accounts


@pytest.mark.parametrize(
    ("overrides", "named_setting"),
    [
        ({"NEOBANK_SECRET_KEY": None}, "NEOBANK_SECRET_KEY"),
        ({"NEOBANK_SECRET_KEY": "short-secret"}, "NEOBANK_SECRET_KEY"),
        ({"REFLEX_DB_URL": None}, "REFLEX_DB_URL"),
        ({"REFLEX_DB_URL": "sqlite:///prod.db"}, "REFLEX_DB_URL"),
        ({"REFLEX_CORS_ALLOWED_ORIGINS": "*"}, "REFLEX_CORS_ALLOWED_ORIGINS"),
        ({"NEOBANK_DEMO_ACCOUNTS": "true"}, "NEOBANK_DEMO_ACCOUNTS"),
    ],
)
def test_each_insecure_production_setting_is_refused(monkeypatch, overrides, named_setting):
    settings = prod_settings(monkeypatch, **overrides)
    with pytest.raises(InsecureSettingsError, match=named_setting):
        settings.check_safe_for_environment()
