"""A local AWS for tests: moto's server on a free loopback port, a fresh table or bucket per test.

Loaded as a pytest plugin from tests/conftest.py. moto is an emulator: it proves our requests
are well formed and our semantics hold against DynamoDB's and S3's APIs, not AWS's limits,
throttling or consistency (see README, "Item store"). Without moto the tests skip, or fail
under KEYVEX_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need_service

REGION = "us-east-1"


class _OneAtATime:
    """DynamoDB applies each conditional write atomically; moto's in-memory backends take no
    lock, so two threads of its server can both pass one condition. Requests are therefore
    served one at a time (each still on its own server thread)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> list[bytes]:
        with self.lock:
            return list(self.app(environ, start_response))


def start_server(port: int = 0) -> tuple[str, Callable[[], None]]:
    """moto's server on 127.0.0.1 (``port`` 0: a free one) in a thread of this process;
    returns its endpoint and the function that stops it."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    _aws_item_limit()
    app = _OneAtATime(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="moto", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=30)
        server.server_close()

    return f"http://127.0.0.1:{server.server_port}", stop


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def emulator_process(table: str = "keyvex") -> Iterator[dict[str, str]]:
    """The emulator in a process of its own (benchmarks: it must not share their GIL), with
    the item-store table made; yields the AWS variables that point at it."""
    root = Path(__file__).resolve().parents[1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "tests.aws_emulator", str(port)], cwd=root)
    env = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the AWS emulator did not start")
            time.sleep(0.1)
        os.environ.update(env)
        from keyvex.store.dynamodb import init_table

        init_table(table)
        yield env
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's server (DynamoDB, S3 ...) on a free 127.0.0.1 port, for the whole session."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        need_service(False, "moto[server] is not installed (pip install -e '.[test]')")
    endpoint, stop = start_server()
    yield endpoint
    stop()


def _aws_item_limit() -> None:
    """moto refuses items over 405,000 bytes, "to be safe"; DynamoDB's limit is 400 KB
    (409,600 bytes, attribute names included), which moto's own comment measured. The
    store enforces 400 KB itself, so the emulator is given AWS's figure."""
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models import dynamo_type

    def setitem(self: dict[str, Any], key: str, value: Any) -> None:
        def size(part: Any) -> int:
            sized = type(part) is dynamo_type.DynamoType
            return int(part.size()) if sized else dynamo_type.bytesize(str(part))

        total = sum(size(part) for part in [*self.keys(), *self.values()])
        if total + size(key) + size(value) > 400 * 1024:
            raise ItemSizeTooLarge
        dict.__setitem__(self, key, value)

    dynamo_type.LimitedSizeDict.__setitem__ = setitem  # type: ignore[method-assign,assignment]


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The standard AWS variables pointing at the emulator, and nothing of the developer's
    own AWS configuration; returns the endpoint."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    return moto_endpoint


@pytest.fixture
def dynamodb_table(aws: str) -> Iterator[str]:
    """A fresh item-store table (made by ``keyvex store init``'s code), deleted afterwards."""
    import boto3

    from keyvex.store.dynamodb import init_table

    name = f"kvx-{uuid.uuid4().hex[:12]}"
    init_table(name)
    yield name
    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=name)


@pytest.fixture
def s3_bucket(aws: str) -> Iterator[str]:
    """A fresh bucket, emptied and deleted afterwards."""
    import boto3

    name = f"kvx-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=name)
    yield name
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
        for entry in page.get("Contents", []):
            client.delete_object(Bucket=name, Key=entry["Key"])
    client.delete_bucket(Bucket=name)


class SyncFace:
    """An async backend called synchronously (from any thread) through an event loop of its
    own: what the contract suite, written against ``Backend``, needs."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def _run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=60)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        attr = getattr(self.backend, name)
        if not inspect.iscoroutinefunction(attr):
            return attr  # type: ignore[no-any-return]
        return lambda *args, **kwargs: self._run(attr(*args, **kwargs))

    def close(self) -> None:
        self.backend.close()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()


if __name__ == "__main__":  # python -m tests.aws_emulator PORT: serve until terminated
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    _, _stop = start_server(int(sys.argv[1]))
    threading.Event().wait()
