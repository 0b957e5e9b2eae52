"""Uploads of data files: streamed into the blob store under the owner's prefix, size-limited.

Keys are ``uploads/{uid}/{random}/{safe file name}``; a source config may only name an upload
under its owner's prefix (``service.validate_config``), so one creator cannot read another's
file by guessing a key.
"""

from __future__ import annotations

import re
import secrets as random
import tempfile
from collections.abc import AsyncIterator
from typing import Any

from anyio import to_thread

from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.data._types import SourceError
from keyvex.errors import Invalid
from keyvex.store import BlobRef

_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def upload_key(uid: str, filename: str) -> str:
    safe = _FILENAME.sub("-", filename).strip("-.")[:80] or "upload"
    return f"uploads/{uid}/{random.token_hex(8)}/{safe}"


async def store_upload(
    app: App, user: User, filename: str, chunks: AsyncIterator[bytes]
) -> dict[str, Any]:
    """Stream an upload into the blob store (size limit enforced while it arrives)."""
    if not filename or len(filename) > 200:
        raise Invalid("The file needs a name.", fields={"filename": "Use 1-200 characters."})
    limit = app.settings.data_max_upload_bytes
    key = upload_key(user.id, filename)
    received: list[bytes] = []
    size = 0
    spool = _Spool(app, key)
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise SourceError(
                    "too_large", f"The file is larger than the {limit // 1_000_000} MB allowed."
                )
            received.append(chunk)
            if sum(map(len, received)) >= 1 << 20:
                await to_thread.run_sync(spool.write, b"".join(received))
                received.clear()
        if received:
            await to_thread.run_sync(spool.write, b"".join(received))
        if size == 0:
            raise Invalid("The file is empty.", fields={"file": "The file is empty."})
        ref = await to_thread.run_sync(spool.finish)
    finally:
        spool.discard()
    return {"blob_key": ref.key, "filename": filename, "size": ref.size, "sha256": ref.sha256}


class _Spool:
    """Chunks written to a temporary file, then moved into the blob store in one put."""

    def __init__(self, app: App, key: str) -> None:
        self.app, self.key = app, key
        self.file = tempfile.TemporaryFile()

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def finish(self) -> BlobRef:
        self.file.seek(0)
        return self.app.blobs.put(self.key, iter(lambda: self.file.read(1 << 20), b""))

    def discard(self) -> None:
        self.file.close()
