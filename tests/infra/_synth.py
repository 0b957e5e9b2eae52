"""Synthesis of the Keyvex CDK app for the infra tests (Node.js runs it: ~10 s a stack)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from tests.conftest import need_service

INFRA = Path(__file__).resolve().parents[2] / "infra"
if str(INFRA) not in sys.path:
    sys.path.insert(0, str(INFRA))  # infra/ is a CDK project beside the keyvex package

# jsii prints a banner on every start under Node 20 (end-of-life for it); the machine's
# Node is what CI has, and synthesis does not depend on the Node release.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

ACCOUNT, REGION = "123456789012", "eu-west-1"


def synthesise(tmp: Path, **options: Any) -> Any:
    """A `Template` of the Keyvex stack built with ``options`` (StackOptions fields)."""
    need_service(shutil.which("node") is not None, "Node.js is not installed (CDK synthesis)")
    try:
        import aws_cdk as cdk
        from aws_cdk.assertions import Template
    except ImportError:
        need_service(False, "aws-cdk-lib is not installed (pip install -e '.[infra]')")
    from keyvex_infra import KeyvexStack, StackOptions

    app = cdk.App(outdir=str(tmp))
    options.setdefault("image", "keyvex:test")  # no Docker build context copied per test
    stack = KeyvexStack(
        app,
        "Keyvex",
        options=StackOptions(**options),
        env=cdk.Environment(account=ACCOUNT, region=REGION),
    )
    return Template.from_stack(stack), stack
