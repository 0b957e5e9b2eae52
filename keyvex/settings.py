"""The one typed settings object: ``KEYVEX_*`` environment variables over an optional keyvex.toml.

Every field is documented in the README's configuration table (a test checks it).
Secrets (session signing, data encryption) are generated into the data directory
on first run in development; production refuses to start without real ones.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from pathlib import Path
from typing import Any, Literal

from limits import parse_many
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from keyvex.errors import ConfigError

#: Values people copy from examples; never acceptable as a production secret.
DEFAULT_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development", "keyvex"})
MIN_SECRET_LENGTH = 32


def _config_file() -> Path:
    return Path(os.environ.get("KEYVEX_CONFIG", "keyvex.toml"))


class Settings(BaseSettings):
    """Keyvex configuration. Precedence: arguments, environment, keyvex.toml, defaults."""

    model_config = SettingsConfigDict(env_prefix="KEYVEX_", extra="forbid", validate_default=True)

    env: Literal["development", "test", "production"] = Field(
        "development", description="Run mode; production enforces real secrets and Secure cookies."
    )
    host: str = Field("127.0.0.1", description="Interface `keyvex serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `keyvex serve` listens on.")
    data_dir: Path = Field(
        Path("keyvex-data"), description="Where the SQLite file, blobs and generated secrets live."
    )
    base_url: str | None = Field(
        None, description="Public URL of the site (e.g. https://keyvex.example.com), for links."
    )
    secret_key: SecretStr | None = Field(
        None, description="Signs CSRF tokens and hashes; generated into the data dir if unset."
    )
    encryption_key: SecretStr | None = Field(
        None, description="Fernet key encrypting secrets at rest; generated if unset (dev only)."
    )
    sqlite_path: Path | None = Field(
        None, description="SQLite database file; defaults to DATA_DIR/keyvex.db."
    )
    blob_dir: Path | None = Field(None, description="Blob directory; defaults to DATA_DIR/blobs.")
    store_backend: Literal["sqlite", "dynamodb"] = Field(
        "sqlite",
        description="Item store: sqlite (the file in DATA_DIR) or dynamodb (table "
        "KEYVEX_DYNAMODB_TABLE; region, endpoint and credentials from the standard AWS_* "
        "variables).",
    )
    dynamodb_table: str = Field(
        "keyvex",
        min_length=3,
        max_length=255,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="DynamoDB table of the item store (create it with `keyvex store init`).",
    )
    blob_backend: Literal["local", "s3"] = Field(
        "local", description="Blob store: local (BLOB_DIR) or s3 (bucket KEYVEX_S3_BUCKET)."
    )
    s3_bucket: str | None = Field(
        None, description="S3 bucket of the blob store; required when BLOB_BACKEND is s3."
    )
    session_days: int = Field(14, ge=1, le=365, description="How long a sign-in lasts.")
    cookie_secure: Literal["auto", "always", "never"] = Field(
        "auto", description="Secure cookies: auto = when the request arrived over HTTPS."
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1", description="Proxies whose X-Forwarded-* headers are trusted."
    )
    rate_limit_storage: str = Field(
        "",
        description="`limits` storage URI for rate limits (memory://, redis://...); empty = "
        "KEYVEX_REDIS_URL when that is set, else memory://.",
    )
    redis_url: str = Field(
        "",
        description="Redis URL (redis://host:6379/0) for rate limits, cache invalidation, SSE "
        "wake-ups and the job queue.",
    )
    redis_prefix: str = Field(
        "keyvex",
        pattern=r"^[A-Za-z0-9_.:-]{1,64}$",
        description="Prefix of Keyvex's Redis keys and pub/sub channels (rate limits, the bus), "
        "so that several deployments can share one Redis.",
    )
    login_limit_ip: str = Field("30/minute", description="Failed sign-ins allowed per IP.")
    login_limit_account: str = Field(
        "5/minute;20/hour", description="Failed sign-ins allowed per account."
    )
    signup_limit_ip: str = Field("10/hour", description="Sign-ups allowed per IP.")
    lead_limit_ip: str = Field("30/minute;300/day", description="Lead submissions per IP.")
    lead_limit_tool: str = Field("600/minute", description="Lead submissions per tool.")
    event_limit_ip: str = Field("600/minute", description="Analytics beacons counted per IP.")
    result_limit_ip: str = Field(
        "60/minute;1000/day", description="Live results a public tool page may ask for per IP."
    )
    smtp_host: str | None = Field(None, description="SMTP server for email; unset = no email.")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port.")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="SMTP transport security."
    )
    smtp_username: str | None = Field(None, description="SMTP user name.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    mail_from: str = Field(
        "Keyvex <no-reply@localhost>", max_length=200, description="Sender of Keyvex email."
    )
    outbound_allow_loopback: bool = Field(
        False, description="TEST ONLY: let webhooks and data sources call loopback addresses."
    )
    min_password_length: int = Field(10, ge=8, le=128, description="Shortest password accepted.")
    max_body_bytes: int = Field(
        1_000_000, ge=1024, description="Largest request body accepted (bytes)."
    )
    ttl_sweep_seconds: int = Field(
        300, ge=1, description="How often expired store items are swept."
    )
    job_lease_seconds: float = Field(
        60, ge=1, le=3600, description="How long a job run may go silent before it is retried."
    )
    jobs: Literal["inline", "queue"] = Field(
        "inline",
        description="Where named jobs run: inline (in the web process) or queue (taskiq on Redis, "
        "consumed by `keyvex worker`).",
    )
    job_queue: str = Field(
        "keyvex-jobs",
        min_length=1,
        max_length=200,
        description="Redis stream the job queue uses (its consumer group is named after it).",
    )
    scheduler_lease_seconds: float = Field(
        30,
        ge=1,
        le=600,
        description="How long the process running the cluster's periodic work holds its lease "
        "without renewing it before another process takes over.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Logs.")
    log_format: Literal["console", "json"] = Field("console", description="Log line format.")
    access_log: bool = Field(True, description="Log one line per request.")
    publish_cache_seconds: float = Field(
        1.0, ge=0, le=60, description="How long a process trusts its published-tool cache."
    )
    openai_api_key: SecretStr | None = Field(
        None, description="OpenAI API key; enables openai:* models in the AI registry."
    )
    openai_base_url: str | None = Field(
        None, description="Base URL for openai:* models (a proxy or gateway); SDK default if unset."
    )
    anthropic_api_key: SecretStr | None = Field(
        None, description="Anthropic API key; enables anthropic:* models in the AI registry."
    )
    anthropic_base_url: str | None = Field(
        None, description="Base URL for anthropic:* models; SDK default if unset."
    )
    openai_compatible_api_key: SecretStr | None = Field(
        None, description="Key sent to openai-compatible:* servers (Ollama needs none)."
    )
    ai_registry_file: Path | None = Field(
        None, description="TOML laid over the shipped AI model registry (keyvex/ai/registry.toml)."
    )
    ai_price_overrides: str = Field(
        "",
        description='JSON {"provider:model": {"input_per_mtok": usd, "output_per_mtok": usd}} '
        "used before genai-prices.",
    )
    ai_offline: bool = Field(
        False, description="Use only the offline planner, even when API keys are configured."
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="Bearer token /metrics asks for; unset, /metrics answers loopback peers only.",
    )
    otel_endpoint: str | None = Field(
        None, description="OTLP/HTTP collector URL; set, requests, outbound HTTP and store calls "
        "are traced (needs the otel extra).",
    )  # fmt: skip
    otel_service_name: str = Field("keyvex", description="service.name of exported spans.")
    alert_daily_cost_usd: float = Field(
        50.0, ge=0, description="Default alert threshold: AI cost of the day so far (UTC), USD."
    )
    alert_cost_per_request_usd: float = Field(
        0.5, ge=0, description="Default alert threshold: mean AI cost per request today, USD."
    )
    alert_error_rate: float = Field(
        0.2, ge=0, le=1, description="Default alert threshold: share of failed AI requests today."
    )
    alert_p95_latency_ms: float = Field(
        30_000, ge=0, description="Default alert threshold: p95 AI request latency today, ms."
    )
    alert_fallback_rate: float = Field(
        0.3, ge=0, le=1, description="Default alert threshold: share of AI requests on a fallback."
    )
    alert_failing_sources: int = Field(
        0, ge=0, description="Default alert threshold: scheduled data sources failing (more)."
    )
    alert_job_failures: int = Field(
        0, ge=0, description="Default alert threshold: jobs given up in the last 24 hours (more)."
    )
    alert_min_requests: int = Field(
        20, ge=1, description="AI requests a day needs before its rates and p95 can alert."
    )
    alert_webhook_url: str | None = Field(
        None, description="Alerts are also POSTed here, signed (Standard Webhooks)."
    )
    alert_webhook_secret: SecretStr | None = Field(
        None,
        description="whsec_... secret signing alert webhooks; required with the URL.",
        validate_default=True,
    )

    data_max_upload_bytes: int = Field(
        50_000_000, ge=1_000, description="Largest data file accepted for upload, in bytes."
    )
    data_max_rows: int = Field(
        100_000, ge=10, description="Most rows a data source sync keeps (more is a clear error)."
    )
    data_snapshot_max_bytes: int = Field(
        5_000_000,
        ge=10_000,
        description="Largest data snapshot a published tool may carry, in bytes of JSON.",
    )
    data_timeout_seconds: float = Field(
        30.0, gt=0, le=600, description="Time limit of one data source fetch or SQL statement."
    )
    data_reader_memory_bytes: int = Field(
        256_000_000,
        ge=64_000_000,
        description="Memory limit of the child process that parses an uploaded workbook or "
        "Access file; a file needing more is refused with a clear message.",
    )
    google_sheets_api_url: str = Field(
        "https://sheets.googleapis.com",
        description="Google Sheets API root (a local stand-in in tests).",
    )
    google_token_url: str = Field(
        "https://oauth2.googleapis.com/token",
        description="Google OAuth token endpoint for service accounts (a stand-in in tests).",
    )
    airtable_api_url: str = Field(
        "https://api.airtable.com", description="Airtable API root (a local stand-in in tests)."
    )
    salesforce_login_url: str = Field(
        "https://login.salesforce.com",
        description="Salesforce login root (a local stand-in in tests).",
    )

    @field_validator(
        "openai_base_url",
        "anthropic_base_url",
        "google_sheets_api_url",
        "google_token_url",
        "airtable_api_url",
        "salesforce_login_url",
    )
    @classmethod
    def _ai_base_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator(
        "login_limit_ip",
        "login_limit_account",
        "signup_limit_ip",
        "lead_limit_ip",
        "lead_limit_tool",
        "event_limit_ip",
        "result_limit_ip",
    )
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError:
            raise ValueError("must be rate limits like '30/minute;300/day'") from None
        return value

    @field_validator("ai_price_overrides")
    @classmethod
    def _price_overrides(cls, value: str) -> str:
        if not value.strip():
            return value
        try:
            table = json.loads(value)
        except ValueError:
            raise ValueError("must be a JSON object") from None
        for name, price in table.items() if isinstance(table, dict) else [("", None)]:
            if not isinstance(price, dict) or not all(
                isinstance(price.get(k), int | float) for k in ("input_per_mtok", "output_per_mtok")
            ):
                raise ValueError(f"entry {name!r} needs numeric input_per_mtok and output_per_mtok")
        return value

    @field_validator("alert_webhook_secret")
    @classmethod
    def _alert_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None:
            if info.data.get("alert_webhook_url"):
                raise ValueError("is required with KEYVEX_ALERT_WEBHOOK_URL (whsec_ and base64)")
            return value
        raw = value.get_secret_value().removeprefix("whsec_")
        try:
            base64.b64decode(raw, validate=True)
        except ValueError:
            raise ValueError("must be whsec_ followed by base64") from None
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a Redis URL (redis://, rediss:// or unix://)")
        return value

    @field_validator("base_url", "otel_endpoint", "alert_webhook_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config = _config_file()
        if config.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config))
        return tuple(sources)

    @property
    def database_path(self) -> Path:
        return self.sqlite_path or self.data_dir / "keyvex.db"

    @property
    def blob_path(self) -> Path:
        return self.blob_dir or self.data_dir / "blobs"

    @property
    def production(self) -> bool:
        return self.env == "production"


def load_settings(**overrides: Any) -> Settings:
    """Read settings, turning validation errors into one ConfigError sentence per field."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        parts = [
            f"KEYVEX_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        ]
        raise ConfigError("Invalid settings: " + "; ".join(parts)) from None


def prepare_data_dir(settings: Settings) -> None:
    """Create the data directory or explain in one sentence why it cannot be used."""
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        probe = settings.data_dir / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"The data directory {settings.data_dir} is not writable ({exc.strerror or exc})."
        ) from None


def resolve_secrets(settings: Settings) -> Settings:
    """Return settings with both secrets set, generating them on first run outside production."""
    secret = _secret_value(settings.secret_key)
    key = _secret_value(settings.encryption_key)
    if settings.production:
        if secret is None or secret.lower() in DEFAULT_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "Refusing to start in production without KEYVEX_SECRET_KEY "
                f"(a random value of at least {MIN_SECRET_LENGTH} characters)."
            )
        if key is None:
            raise ConfigError(
                "Refusing to start in production without KEYVEX_ENCRYPTION_KEY (a Fernet key)."
            )
    if secret is None:
        secret = _stored_secret(settings.data_dir / "secrets" / "session.key", _new_secret)
    if key is None:
        key = _stored_secret(settings.data_dir / "secrets" / "encryption.key", _new_fernet_key)
    _check_fernet_key(key)
    return settings.model_copy(
        update={"secret_key": SecretStr(secret), "encryption_key": SecretStr(key)}
    )


def _secret_value(value: SecretStr | None) -> str | None:
    return None if value is None else value.get_secret_value()


def _new_secret() -> str:
    return secrets.token_urlsafe(48)


def _new_fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _check_fernet_key(key: str) -> None:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ConfigError("KEYVEX_ENCRYPTION_KEY must be a Fernet key (32 url-safe base64 bytes).")


def _stored_secret(path: Path, make: Any) -> str:
    """Read a secret file, or create it with mode 0600 (atomically, so two starts agree)."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value: str = make()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value
