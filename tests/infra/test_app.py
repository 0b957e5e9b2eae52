"""`infra/app.py`, run the way `cdk synth` runs it, with the image built from ./Dockerfile."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import need_service
from tests.infra._synth import INFRA


def test_cdk_synth_writes_the_stack_and_an_image_asset_of_the_build_context(
    tmp_path: Path,
) -> None:
    need_service(shutil.which("node") is not None, "Node.js is not installed (CDK synthesis)")
    app = json.loads((INFRA / "cdk.json").read_text())["app"]
    assert app == "python3 app.py"
    env = {
        **os.environ,
        "CDK_OUTDIR": str(tmp_path),  # what the cdk CLI passes
        "CDK_DEFAULT_ACCOUNT": "123456789012",
        "CDK_DEFAULT_REGION": "eu-west-1",
        "CDK_CONTEXT_JSON": json.dumps({"alarmEmail": "ops@example.com", "workers": "3"}),
    }
    done = subprocess.run(
        [sys.executable, "app.py"], cwd=INFRA, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    template = json.loads((tmp_path / "Keyvex.template.json").read_text())
    kinds = [r["Type"] for r in template["Resources"].values()]
    assert kinds.count("AWS::ECS::Service") == 2
    worker = next(
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::ECS::Service" and "LoadBalancers" not in r["Properties"]
    )
    assert worker["DesiredCount"] == 3
    subscription = next(
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::SNS::Subscription"
    )
    assert subscription == {**subscription, "Protocol": "email", "Endpoint": "ops@example.com"}
    (asset,) = [
        p for p in tmp_path.iterdir() if p.name.startswith("asset.") and (p / "Dockerfile").exists()
    ]
    staged = {p.name for p in asset.iterdir()}
    assert staged == {"Dockerfile", ".dockerignore", "pyproject.toml", "README.md", "keyvex"}
