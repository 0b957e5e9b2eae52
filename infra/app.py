"""CDK entry point (`cdk synth` / `cdk deploy` run it): the Keyvex stack on AWS."""

from __future__ import annotations

import os

import aws_cdk as cdk
from keyvex_infra import KeyvexStack, StackOptions


def main() -> None:
    app = cdk.App()
    env = cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    )
    KeyvexStack(app, "Keyvex", options=StackOptions.from_context(app.node), env=env)
    app.synth()


if __name__ == "__main__":
    main()
