"""Synthesis of the Keyvex CDK app for the infra tests (Node.js runs it: ~10 s a stack)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
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
    """(a `Template` of the Keyvex stack built with ``options``, the app's output folder).

    Synthesis runs in a subprocess of its own (``python -m tests.infra._synth``): jsii checks
    every argument with typeguard 2, whose checks depend on interpreter-wide typing state that
    other test modules of a full run can change (seen as "Subscripted generics cannot be
    used with class and instance checks" on a correct call). The template is read back here.
    A ValueError raised by the stack (a bad option) is raised again here.
    """
    need_service(shutil.which("node") is not None, "Node.js is not installed (CDK synthesis)")
    try:
        from aws_cdk.assertions import Template
    except ImportError:
        need_service(False, "aws-cdk-lib is not installed (pip install -e '.[infra]')")
    options.setdefault("image", "keyvex:test")  # no Docker build context copied per test
    spec = json.dumps({"outdir": str(tmp), "options": options})
    done = subprocess.run(
        [sys.executable, "-m", "tests.infra._synth", spec],
        cwd=INFRA.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode == 3:
        raise ValueError(done.stderr.strip().splitlines()[-1])
    assert done.returncode == 0, done.stderr[-3000:]
    template = json.loads((tmp / "Keyvex.template.json").read_text())
    return Template.from_json(template), tmp


def _synthesise_here(outdir: str, options: dict[str, Any]) -> None:
    import aws_cdk as cdk
    from keyvex_infra import KeyvexStack, StackOptions

    for name, value in options.items():  # JSON turned tuples into lists
        if isinstance(value, list):
            options[name] = tuple(value)
    app = cdk.App(outdir=outdir)
    try:
        KeyvexStack(
            app,
            "Keyvex",
            options=StackOptions(**options),
            env=cdk.Environment(account=ACCOUNT, region=REGION),
        )
    except ValueError as exc:
        sys.stderr.write(f"{exc}\n")
        raise SystemExit(3) from None
    app.synth()


if __name__ == "__main__":
    arguments = json.loads(sys.argv[1])
    _synthesise_here(arguments["outdir"], arguments["options"])
