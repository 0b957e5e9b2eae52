"""Tasks only the job-queue tests use; a worker loads them with `--import tests.jobs.queue_tasks`.

Each leaves files in the folder it is given, so the test process can see what ran where.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from keyvex.app import App
from keyvex.jobs import task


@task("test.queue.record", max_attempts=1)
async def record(app: App, folder: str, label: str) -> None:
    (Path(folder) / f"{label}.done").write_text(str(os.getpid()))


@task("test.queue.block", max_attempts=3, backoff_seconds=1)
async def block(app: App, folder: str, label: str) -> None:
    """Says it started (with its pid), then waits until a file named ``release`` appears."""
    here = Path(folder)
    (here / f"{label}.started.{os.getpid()}").write_text("")
    while not (here / "release").exists():
        await asyncio.sleep(0.05)
    (here / f"{label}.done").write_text(str(os.getpid()))


@task("test.queue.fail", max_attempts=3, backoff_seconds=1)
async def fail(app: App, folder: str, label: str) -> None:
    """Notes the time of every attempt, and always fails (a poison job)."""
    with (Path(folder) / f"{label}.attempts").open("a") as attempts:
        attempts.write(f"{time.time()}\n")
    raise RuntimeError("poison")
