"""Synthesise the CDK app offline, once per test module."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra._synth import synthesise


@pytest.fixture(scope="module")
def synthesised(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The stack with its defaults: (Template, the app's output folder)."""
    return synthesise(tmp_path_factory.mktemp("cdk"))


@pytest.fixture(scope="module")
def template(synthesised: Any) -> Any:
    return synthesised[0]
