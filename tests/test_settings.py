"""Settings: validation errors name the environment variable; environment and .env are read."""

from __future__ import annotations

import pytest

from regiograph.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("API_PORT", "BATCH_SIZE", "STORE", "NEO4J_PASSWORD"):
        monkeypatch.delenv(f"REGIOGRAPH_{name}", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the working copy


@pytest.mark.parametrize(
    ("field", "value", "env_name"),
    [
        ("neo4j_bolt_port", 70000, "REGIOGRAPH_NEO4J_BOLT_PORT"),
        ("api_port", 0, "REGIOGRAPH_API_PORT"),
        ("store", "sqlite", "REGIOGRAPH_STORE"),
        ("base_iri", "ftp://example.org/id/", "REGIOGRAPH_BASE_IRI"),
        ("base_iri", "https://example.org/id", "REGIOGRAPH_BASE_IRI"),
        ("neo4j_heap", "lots", "REGIOGRAPH_NEO4J_HEAP"),
    ],
)
def test_invalid_value_names_the_variable(field: str, value: object, env_name: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(**{field: value})
    assert env_name in str(info.value)


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOGRAPH_API_PORT", "9123")
    monkeypatch.setenv("REGIOGRAPH_STORE", "memory")
    settings = load_settings()
    assert settings.api_port == 9123
    assert settings.store == "memory"


def test_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOGRAPH_API_PORT", "not-a-port")
    with pytest.raises(SettingsError, match="REGIOGRAPH_API_PORT"):
        load_settings()


def test_dotenv_file_is_read(tmp_path) -> None:
    (tmp_path / ".env").write_text("REGIOGRAPH_BATCH_SIZE=42\nREGIOGRAPH_STORE=memory\n", encoding="utf-8")
    settings = load_settings()
    assert settings.batch_size == 42
    assert settings.store == "memory"


def test_environment_wins_over_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    (tmp_path / ".env").write_text("REGIOGRAPH_BATCH_SIZE=42\n", encoding="utf-8")
    monkeypatch.setenv("REGIOGRAPH_BATCH_SIZE", "7")
    assert load_settings().batch_size == 7


def test_password_comes_from_setting_else_generated_file(tmp_path) -> None:
    settings = load_settings(runtime_dir=tmp_path / "var")
    assert settings.resolved_neo4j_password() is None
    settings.password_file.parent.mkdir(parents=True)
    settings.password_file.write_text("generated-secret\n", encoding="utf-8")
    assert settings.resolved_neo4j_password() == "generated-secret"
    explicit = load_settings(runtime_dir=tmp_path / "var", neo4j_password="explicit-secret")
    assert explicit.resolved_neo4j_password() == "explicit-secret"
