"""The model registry: per process a primary and a fallback model, sampling and limits."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from keyvex.errors import ConfigError

Process = Literal["conversation", "builder", "editor", "brand", "data_mapping", "ideas"]
PROCESSES: tuple[Process, ...] = (
    "conversation", "builder", "editor", "brand", "data_mapping", "ideas"
)  # fmt: skip


class ProcessConfig(BaseModel):
    """How one process talks to models."""

    model_config = ConfigDict(extra="forbid")

    primary: str = "offline"
    fallback: str | None = None
    temperature: float = Field(0.2, ge=0, le=2)
    max_tokens: int = Field(4096, ge=1)
    timeout: float = Field(60.0, gt=0, description="Seconds for one request to one model.")
    retries: int = Field(2, ge=0, le=10, description="Provider SDK retries (with backoff).")


class Registry(BaseModel):
    """Every process's configuration."""

    model_config = ConfigDict(extra="forbid")

    processes: dict[Process, ProcessConfig]

    def get(self, process: Process) -> ProcessConfig:
        return self.processes[process]


def load_registry(path: Path | None = None) -> Registry:
    """The shipped registry, with the processes and keys of ``path`` (if given) laid over it."""
    shipped = resources.files("keyvex.ai").joinpath("registry.toml").read_text(encoding="utf-8")
    data = tomllib.loads(shipped)
    if path is not None:
        data = _merge(data, _read_override(path))
    return _build(data, str(path or "registry.toml"))


def _read_override(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read the AI registry file {path} ({exc.strerror}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The AI registry file {path} is not valid TOML ({exc}).") from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _build(data: dict[str, Any], source: str) -> Registry:
    defaults = data.get("defaults", {})
    processes = {
        name: {**defaults, **data.get("processes", {}).get(name, {})} for name in PROCESSES
    }
    unknown = set(data.get("processes", {})) - set(PROCESSES)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ConfigError(f"The AI registry {source} names unknown processes: {names}.")
    try:
        return Registry.model_validate({"processes": processes})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"The AI registry {source} is invalid at {where}: {first['msg']}."
        ) from None
