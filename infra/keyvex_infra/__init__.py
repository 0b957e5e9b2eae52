"""Keyvex on AWS, as CDK code: `KeyvexStack` and the options a deployment may set."""

from keyvex_infra.options import PROVIDED_KEYS, StackOptions
from keyvex_infra.stack import KeyvexStack

__all__ = ["PROVIDED_KEYS", "KeyvexStack", "StackOptions"]
