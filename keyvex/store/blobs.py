"""Blob store for payloads too large for an item: a local directory now, S3 later."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from keyvex.errors import Invalid, NotFound

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


@dataclass(frozen=True, slots=True)
class BlobRef:
    """How an item points at a blob: its key, size and SHA-256."""

    key: str
    size: int
    sha256: str

    def to_item(self) -> dict[str, Any]:
        return {"blob_key": self.key, "blob_size": self.size, "blob_sha256": self.sha256}

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> BlobRef:
        return cls(item["blob_key"], int(item["blob_size"]), item["blob_sha256"])


class BlobStore(Protocol):
    def put(self, key: str, chunks: Iterable[bytes] | bytes) -> BlobRef: ...

    def open(self, key: str) -> BinaryIO: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def delete_prefix(self, prefix: str) -> int:
        """Delete every blob whose key starts with ``prefix`` (a folder: it ends with '/');
        returns how many went. Used where no item names a blob any more (account deletion)."""
        ...


def check_blob_key(key: str) -> str:
    if len(key) > 512 or not _KEY.match(key) or ".." in key.split("/"):
        raise Invalid(f"Blob key {key!r} is not valid: use letters, digits, '.', '_', '-' and '/'.")
    return key


class LocalBlobStore:
    """Blobs as files under one directory; writes are atomic (temp file + rename)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / check_blob_key(key)

    def put(self, key: str, chunks: Iterable[bytes] | bytes) -> BlobRef:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return BlobRef(key, size, digest.hexdigest())

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as exc:
            raise NotFound(f"Blob {key!r} does not exist.") from exc

    def get(self, key: str) -> bytes:
        with self.open(key) as fh:
            return fh.read()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> int:
        if not prefix.endswith("/"):
            raise Invalid(f"Blob prefix {prefix!r} must name a folder (end with '/').")
        folder = self._path(prefix.rstrip("/"))
        if not folder.is_dir():
            return 0
        files = [path for path in folder.rglob("*") if path.is_file()]
        for path in files:
            path.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        return len(files)
