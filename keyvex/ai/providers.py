"""Building pydantic-ai models from registry names, with a fallback chain per process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic_ai.models import Model
from pydantic_ai.settings import ModelSettings

from keyvex.ai.planner import MODEL_NAME, offline_model
from keyvex.ai.registry import Process, ProcessConfig, Registry, load_registry
from keyvex.errors import ConfigError
from keyvex.settings import Settings

if TYPE_CHECKING:
    from keyvex.app import App
from keyvex.caches import CacheSpec

PROVIDERS = ("offline", "openai", "anthropic", "openai-compatible")
#: The registry file, read once per App; models injected for a process (tests, integrations).
REGISTRY: CacheSpec[str, Registry] = CacheSpec("ai registry", max_entries=1)
MODELS: CacheSpec[str, list[Candidate]] = CacheSpec("ai injected models", max_entries=64)


@dataclass(frozen=True)
class ModelSpec:
    """A parsed registry name: provider, model and (openai-compatible) base URL."""

    provider: str
    model: str
    base_url: str | None = None

    @property
    def name(self) -> str:
        suffix = f"@{self.base_url}" if self.base_url else ""
        return "offline" if self.provider == "offline" else f"{self.provider}:{self.model}{suffix}"


@dataclass
class Candidate:
    """One model of a process's chain, ready to call."""

    spec: ModelSpec
    model: Model


def parse_model_name(name: str) -> ModelSpec:
    """'offline', 'openai:gpt-4o-mini', 'anthropic:claude-...', 'openai-compatible:M@URL'."""
    name = name.strip()
    if name == "offline":
        return ModelSpec("offline", MODEL_NAME)
    provider, _, rest = name.partition(":")
    if provider not in PROVIDERS or not rest:
        raise ConfigError(
            f"Unknown model name '{name}': use offline, openai:MODEL, anthropic:MODEL "
            "or openai-compatible:MODEL@URL."
        )
    if provider == "openai-compatible":
        model, _, url = rest.partition("@")
        if not model or not url.startswith(("http://", "https://")):
            raise ConfigError(f"'{name}' needs the form openai-compatible:MODEL@http://host/v1.")
        return ModelSpec(provider, model, url)
    return ModelSpec(provider, rest)


def is_configured(spec: ModelSpec, settings: Settings) -> bool:
    """Whether this model can be called: a key for hosted providers, always for the rest."""
    if spec.provider == "openai":
        return settings.openai_api_key is not None
    if spec.provider == "anthropic":
        return settings.anthropic_api_key is not None
    return True


def build_model(spec: ModelSpec, settings: Settings) -> Model:
    """A pydantic-ai model for this spec (no network until it is called).

    The provider SDKs are imported here, when a model of theirs is first built: they take
    seconds to load, and the offline planner (no key) never needs them."""
    if spec.provider == "offline":
        return offline_model()
    if spec.provider == "anthropic":
        from pydantic_ai.models.anthropic import AnthropicModel
        from pydantic_ai.providers.anthropic import AnthropicProvider

        key = settings.anthropic_api_key
        provider = AnthropicProvider(
            api_key=key.get_secret_value() if key else None, base_url=settings.anthropic_base_url
        )
        return AnthropicModel(spec.model, provider=provider)
    if spec.provider == "openai":
        key = settings.openai_api_key
        base_url = settings.openai_base_url
    else:
        key = settings.openai_compatible_api_key
        base_url = spec.base_url
    api_key = key.get_secret_value() if key else "not-needed"
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    return OpenAIChatModel(spec.model, provider=OpenAIProvider(api_key=api_key, base_url=base_url))


def registry(app: App) -> Registry:
    """The app's registry, read once per App."""
    cache = app.caches(REGISTRY)
    found = cache.get("registry")
    if found is None:
        found = cache["registry"] = load_registry(app.settings.ai_registry_file)
    return found


def chain(app: App, process: Process) -> list[Candidate]:
    """Primary then fallback, skipping unconfigured ones; the offline planner when none is left."""
    injected = app.caches(MODELS).get(process)
    if injected is not None:
        return list(injected)
    config = registry(app).get(process)
    names = [] if app.settings.ai_offline else [config.primary, config.fallback]
    specs = [parse_model_name(n) for n in names if n]
    usable = [s for s in specs if is_configured(s, app.settings)]
    if not usable:
        usable = [parse_model_name("offline")]
    return [Candidate(spec, build_model(spec, app.settings)) for spec in usable]


def use_models(app: App, process: Process, *models: tuple[str, Model]) -> None:
    """Make ``process`` call these (name, model) pairs in order (tests, custom integrations)."""
    cache = app.caches(MODELS)
    if not models:
        cache.pop(process, None)
        return
    cache[process] = [Candidate(parse_model_name(name), model) for name, model in models]


def model_settings(config: ProcessConfig) -> ModelSettings:
    """Sampling and limits of a process: the SDK retries with backoff, then the fallback answers."""
    return ModelSettings(
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        timeout=config.timeout,
        request_timeout=config.timeout,
        max_retries=config.retries,
    )
