"""The first co-creation turn after start-up, answered by the offline planner, loads no AI
provider SDK (anthropic, openai): they took seconds to import on every first turn although
no model of theirs was configured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from fastapi.testclient import TestClient
from keyvex.settings import Settings
from keyvex.web.app import create_app

app = create_app(Settings(env="test", data_dir=sys.argv[1]))
with TestClient(app) as client:
    state = app.state.keyvex

    async def go():
        from keyvex.accounts import sign_up
        from keyvex.cocreate import service

        user = await sign_up(state, "first@example.com", "correct horse battery")
        sid = (await service.start_session(state, user, "An ROI calculator for dentists")).id
        await service.jobs(state).wait_idle(60)
        session = await service.get_session(state, user, sid)
        assert session.status == "asking" and session.asked, session.status

    client.portal.call(go)
loaded = sorted(m for m in ("anthropic", "openai") if m in sys.modules)
print(loaded)
assert not loaded, loaded
"""


def test_the_first_offline_turn_loads_no_provider_sdk(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "data")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
