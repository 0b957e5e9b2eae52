"""The first publish in a process does not load the AI provider SDKs (anthropic, openai):
it used to, through the event subscribers, and took seconds (the SDKs load only when a model
is used)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from fastapi.testclient import TestClient
from keyvex.settings import Settings
from keyvex.tools import get_template
from keyvex.web.app import create_app

app = create_app(Settings(env="test", data_dir=sys.argv[1]))
with TestClient(app) as client:
    state = app.state.keyvex

    async def go():
        from keyvex.accounts import sign_up
        from keyvex.tools.publishing import publish
        from keyvex.tools.service import create_tool

        user = await sign_up(state, "first@example.com", "correct horse battery")
        tool = await create_tool(state, user, get_template("roi-calculator"))
        await publish(state, user, tool.id)

    client.portal.call(go)
loaded = sorted(m for m in ("anthropic", "openai") if m in sys.modules)
print(loaded)
assert not loaded, loaded
"""


def test_the_first_publish_loads_no_provider_sdk(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "data")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
