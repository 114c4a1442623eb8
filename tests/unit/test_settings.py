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
        "NEOBANK_PUBLIC_URL",
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


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"NEOBANK_SECRET_KEY": None}, "NEOBANK_SECRET_KEY is not set"),
        ({"NEOBANK_SECRET_KEY": ""}, "NEOBANK_SECRET_KEY is empty"),
        ({"NEOBANK_SECRET_KEY": "   "}, "NEOBANK_SECRET_KEY is empty"),
        ({"NEOBANK_SECRET_KEY": "short-secret"}, "NEOBANK_SECRET_KEY is only 12 bytes long"),
        ({"NEOBANK_PUBLIC_URL": "http://advisors.bank.example"}, "NEOBANK_PUBLIC_URL is 'http://"),
        ({"NEOBANK_PUBLIC_URL": "advisors.bank.example"}, "served over TLS only"),
    ],
)
def test_each_refusal_says_what_is_wrong_and_how_to_fix_it(monkeypatch, overrides, message):
    problems = prod_settings(monkeypatch, **overrides).insecure_settings()
    assert len(problems) == 1
    assert message in problems[0]
    if "SECRET" in message:
        assert "secrets.token_urlsafe" in problems[0]  # how to make one
    else:
        assert "https://" in problems[0]


def test_an_empty_secret_is_not_called_short(monkeypatch):
    (problem,) = prod_settings(monkeypatch, NEOBANK_SECRET_KEY="").insecure_settings()
    assert "shorter" not in problem and "bytes long" not in problem


def test_an_https_public_url_is_accepted(monkeypatch):
    settings = prod_settings(monkeypatch, NEOBANK_PUBLIC_URL="https://127.0.0.1:8443")
    assert settings.insecure_settings() == []


def test_every_problem_is_listed_on_its_own_line(monkeypatch):
    settings = prod_settings(
        monkeypatch, NEOBANK_SECRET_KEY="", REFLEX_CORS_ALLOWED_ORIGINS="*", NEOBANK_PUBLIC_URL="http://x"
    )
    with pytest.raises(InsecureSettingsError) as refused:
        settings.check_safe_for_environment()
    lines = str(refused.value).splitlines()
    assert lines[0] == "Refusing to start in production (NEOBANK_ENV=prod):"
    assert [line.split()[1] for line in lines[1:]] == [
        "NEOBANK_SECRET_KEY",
        "REFLEX_CORS_ALLOWED_ORIGINS",
        "NEOBANK_PUBLIC_URL",
    ]
