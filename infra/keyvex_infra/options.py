"""What a deployment may change without editing code: read from CDK context (`-c name=value`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from constructs import Node

#: The repository root: the Docker build context of the one image both services run.
REPO_ROOT = Path(__file__).resolve().parents[2]

#: Keys of the operator-made secret (`providedSecret`) handed to the containers as the
#: environment variables of the same name. KEYVEX_ENCRYPTION_KEY is a Fernet key, a format
#: Secrets Manager cannot generate, so the operator puts it there before the first deploy.
PROVIDED_KEYS = ("KEYVEX_ENCRYPTION_KEY", "KEYVEX_OPENAI_API_KEY", "KEYVEX_ANTHROPIC_API_KEY")


@dataclass(frozen=True, slots=True)
class StackOptions:
    """Deployment choices; the defaults suit a first deploy of a small site."""

    image: str | None = None  # a registry image (repo:tag); None builds ./Dockerfile at deploy
    base_url: str | None = None  # KEYVEX_BASE_URL, e.g. https://keyvex.example.com
    certificate_arn: str | None = None  # an ACM certificate: HTTPS on 443, HTTP redirected
    provided_secret_name: str = "keyvex/provided"
    provided_keys: tuple[str, ...] = PROVIDED_KEYS
    web_min: int = 2
    web_max: int = 10
    workers: int = 2
    workers_max: int = 8
    alarm_email: str | None = None
    extra_environment: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_context(cls, node: Node) -> StackOptions:
        """Options from `cdk -c image=... -c certificateArn=...` (unset ones keep defaults)."""

        def get(name: str) -> str | None:
            value = node.try_get_context(name)
            return None if value in (None, "") else str(value)

        keys = get("providedKeys")
        default = cls()
        return cls(
            image=get("image"),
            base_url=get("baseUrl"),
            certificate_arn=get("certificateArn"),
            provided_secret_name=get("providedSecret") or default.provided_secret_name,
            provided_keys=tuple(k for k in keys.split(",") if k) if keys else PROVIDED_KEYS,
            web_min=int(get("webMin") or default.web_min),
            web_max=int(get("webMax") or default.web_max),
            workers=int(get("workers") or default.workers),
            workers_max=int(get("workersMax") or default.workers_max),
            alarm_email=get("alarmEmail"),
        )
