"""What the AWS backends share: the region rule and how an aiobotocore client is opened."""

from __future__ import annotations

import os
from typing import Any

from keyvex.errors import ConfigError

AWS_EXTRA = "the aws extra: pip install 'keyvex[aws]'"


def region() -> str | None:
    """``AWS_REGION`` (what most AWS SDKs and Lambda use), else None: botocore then reads
    ``AWS_DEFAULT_REGION`` and the AWS config file itself."""
    return os.environ.get("AWS_REGION") or None


def open_client(service: str, max_connections: int) -> Any:
    """An aiobotocore client context; endpoint and credentials come from the standard AWS
    variables and files (``AWS_ENDPOINT_URL``, keys, profiles, roles), read by botocore."""
    try:
        from aiobotocore.config import AioConfig
        from aiobotocore.session import get_session
    except ImportError as exc:
        raise ConfigError(f"The {service} backend needs {AWS_EXTRA}.") from exc
    config = AioConfig(
        max_pool_connections=max_connections,
        retries={"mode": "standard", "max_attempts": 5},
        connect_timeout=5,
        read_timeout=30,
    )
    return get_session().create_client(service, region_name=region(), config=config)


def no_region() -> ConfigError:
    return ConfigError("AWS needs a region: set AWS_REGION (or AWS_DEFAULT_REGION).")
