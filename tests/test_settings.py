"""Settings: sources, generated secrets, production refusals, and the README table."""

from __future__ import annotations

import ast
import re
import stat
from pathlib import Path

import pytest

from keyvex.errors import ConfigError
from keyvex.settings import Settings, load_settings, resolve_secrets

README = Path(__file__).resolve().parents[1] / "README.md"
PACKAGE = README.parent / "keyvex"


def test_every_setting_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"^\|\s*`(KEYVEX_[A-Z0-9_]+)`", README.read_text(), re.MULTILINE))
    expected = {f"KEYVEX_{name.upper()}" for name in Settings.model_fields}
    assert expected - documented == set(), "settings missing from the README table"
    assert documented - expected <= {"KEYVEX_CONFIG", "KEYVEX_REQUIRE_SERVICES"}


def _names_read(path: Path) -> set[str]:
    """Attribute names a module reads (``settings.x``, ``self.x``) and, outside settings.py,
    exact string constants (``getattr(app.settings, "x")``); comments and docstrings never
    count."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    if path.name != "settings.py":  # its validators name fields as strings without reading them
        names |= {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
    return names


def test_every_setting_is_read_somewhere() -> None:
    read: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        read |= _names_read(path)
    unused = sorted(f"KEYVEX_{name.upper()}" for name in Settings.model_fields if name not in read)
    assert unused == [], f"settings that nothing reads: {', '.join(unused)}"


def test_rate_limit_settings_are_checked_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEYVEX_RESULT_LIMIT_IP", "60 a minute")
    with pytest.raises(ConfigError, match="KEYVEX_RESULT_LIMIT_IP: .*rate limits"):
        load_settings()


def test_environment_overrides_toml_which_overrides_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "keyvex.toml"
    config.write_text('port = 9001\nhost = "0.0.0.0"\nlog_format = "json"\n')
    monkeypatch.setenv("KEYVEX_CONFIG", str(config))
    monkeypatch.setenv("KEYVEX_PORT", "9002")
    settings = load_settings()
    assert settings.port == 9002
    assert settings.host == "0.0.0.0"
    assert settings.log_format == "json"
    assert settings.session_days == 14


def test_bad_values_become_one_sentence_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KEYVEX_PORT", "eighty")
    with pytest.raises(ConfigError, match="KEYVEX_PORT"):
        load_settings()
    with pytest.raises(ConfigError, match="KEYVEX_BASE_URL"):
        load_settings(base_url="ftp://x")


def test_secrets_are_generated_once_with_mode_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = resolve_secrets(settings)
    second = resolve_secrets(settings)
    assert first.secret_key is not None and second.secret_key is not None
    assert first.secret_key.get_secret_value() == second.secret_key.get_secret_value()
    assert first.encryption_key == second.encryption_key
    for name in ("session.key", "encryption.key"):
        mode = stat.S_IMODE((tmp_path / "secrets" / name).stat().st_mode)
        assert mode == 0o600


def test_given_secrets_are_used_and_nothing_is_written(tmp_path: Path) -> None:
    key = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="
    settings = resolve_secrets(Settings(data_dir=tmp_path, secret_key="s" * 40, encryption_key=key))
    assert settings.secret_key is not None and settings.secret_key.get_secret_value() == "s" * 40
    assert not (tmp_path / "secrets").exists()


@pytest.mark.parametrize("secret", [None, "changeme", "short-but-custom"])
def test_production_refuses_missing_or_default_secret(tmp_path: Path, secret: str | None) -> None:
    settings = Settings(
        env="production",
        data_dir=tmp_path,
        secret_key=secret,
        encryption_key="MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
    )
    with pytest.raises(ConfigError, match="KEYVEX_SECRET_KEY"):
        resolve_secrets(settings)
    assert not (tmp_path / "secrets").exists()


def test_production_refuses_a_missing_encryption_key(tmp_path: Path) -> None:
    settings = Settings(env="production", data_dir=tmp_path, secret_key="x" * 48)
    with pytest.raises(ConfigError, match="KEYVEX_ENCRYPTION_KEY"):
        resolve_secrets(settings)


def test_a_malformed_encryption_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Fernet"):
        resolve_secrets(Settings(data_dir=tmp_path, encryption_key="not-a-key"))
