"""Settings: read from the environment when the app is made; production refuses unsafe ones."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from community import create_app
from config import ConfigError


def test_production_refuses_to_start_without_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/db")
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        create_app("production")


def test_production_refuses_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///somewhere.sqlite")
    with pytest.raises(ConfigError, match="DATABASE_URL must point at PostgreSQL"):
        create_app("production")


def test_production_refuses_phone_keys_derived_from_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/db")
    monkeypatch.setenv("PHONE_ENCRYPTION_KEY", "not-a-fernet-key")
    with pytest.raises(ConfigError, match="PHONE_ENCRYPTION_KEY must be a Fernet key") as error:
        create_app("production")
    assert "PHONE_HASH_KEY" in str(error.value)


def test_production_needs_redis_for_jobs_and_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/db")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(ConfigError, match="REDIS_URL must be set") as error:
        create_app("production")
    assert "RATELIMIT_STORAGE_URI must be shared" in str(error.value)


def test_production_starts_with_real_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("PHONE_ENCRYPTION_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("PHONE_HASH_KEY", "h" * 40)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:1/db")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_unknown_environment_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="APP_ENV must be one of"):
        create_app("staging")


def test_environment_is_read_when_the_app_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_RADIUS_M", "200")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    app = create_app("development")
    assert app.config["CLUSTER_RADIUS_M"] == 200.0
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:1/0"


def test_a_malformed_number_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOB_RETRIES", "three")
    with pytest.raises(ConfigError, match="JOB_RETRIES"):
        create_app("development")
