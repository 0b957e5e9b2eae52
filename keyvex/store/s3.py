"""The S3 blob store: the ``BlobStore`` protocol on one bucket (``KEYVEX_S3_BUCKET``).

Synchronous on purpose: ``BlobStore`` is synchronous and its callers already run it off the
event loop (``to_thread``), as they do for ``LocalBlobStore``; boto3's client is thread-safe,
so one client serves every thread. An async store would change every caller for no gain:
blob traffic is a few large transfers, not many small ones.

Region, endpoint and credentials come from the standard AWS variables (``AWS_REGION``,
``AWS_ENDPOINT_URL``, keys or a role), read by botocore. Needs the ``aws`` extra (boto3).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, BinaryIO

from keyvex.errors import ConfigError, Invalid, NotFound, Unavailable
from keyvex.store._aws import AWS_EXTRA, no_region, region
from keyvex.store.blobs import BlobRef, BlobStore, check_blob_key

#: Blobs up to this size stay in memory on their way; larger ones go through a temp file.
SPOOL_BYTES = 8 * 1024 * 1024
_DELETE_BATCH = 1000  # DeleteObjects' limit


class S3BlobStore:
    """Blobs as objects of one bucket, keyed like the local store's files."""

    def __init__(self, bucket: str, *, max_connections: int = 32) -> None:
        try:
            import boto3
            from botocore.config import Config
            from botocore.exceptions import NoRegionError
        except ImportError as exc:
            raise ConfigError(f"The s3 blob backend needs {AWS_EXTRA}.") from exc
        self.bucket = bucket
        config = Config(max_pool_connections=max_connections, retries={"mode": "standard"})
        try:
            self._s3: Any = boto3.client("s3", region_name=region(), config=config)
        except NoRegionError:
            raise no_region() from None

    def put(self, key: str, chunks: Iterable[bytes] | bytes) -> BlobRef:
        """Upload the chunks (multipart when large); the SHA-256 is computed on the way and
        kept as the object's metadata."""
        check_blob_key(key)
        digest, size = hashlib.sha256(), 0
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
                digest.update(chunk)
                size += len(chunk)
                spool.write(chunk)
            spool.seek(0)
            extra = {"Metadata": {"sha256": digest.hexdigest()}}
            self._call(self._s3.upload_fileobj, spool, self.bucket, key, ExtraArgs=extra)
        return BlobRef(key, size, digest.hexdigest())

    def open(self, key: str) -> BinaryIO:
        """The blob as a local, seekable file (memory or a temp file), read from the start."""
        body = self._get(key)
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        try:
            for chunk in body.iter_chunks(1 << 20):
                spool.write(chunk)
        except BaseException:
            spool.close()
            raise
        finally:
            body.close()
        spool.seek(0)
        return spool  # type: ignore[return-value]

    def get(self, key: str) -> bytes:
        body = self._get(key)
        try:
            data: bytes = body.read()
        finally:
            body.close()
        return data

    def delete(self, key: str) -> None:
        self._call(self._s3.delete_object, Bucket=self.bucket, Key=check_blob_key(key))

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object under the folder ``prefix`` (ends with '/'); returns how many."""
        if not prefix.endswith("/"):
            raise Invalid(f"Blob prefix {prefix!r} must name a folder (end with '/').")
        check_blob_key(prefix.rstrip("/"))
        keys: list[str] = []
        pages = self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        for page in self._call(list, pages):
            keys.extend(entry["Key"] for entry in page.get("Contents", []))
        for start in range(0, len(keys), _DELETE_BATCH):
            batch = [{"Key": k} for k in keys[start : start + _DELETE_BATCH]]
            self._call(
                self._s3.delete_objects,
                Bucket=self.bucket,
                Delete={"Objects": batch, "Quiet": True},
            )
        return len(keys)

    def _get(self, key: str) -> Any:
        try:
            resp = self._s3.get_object(Bucket=self.bucket, Key=check_blob_key(key))
        except self._s3.exceptions.NoSuchKey:
            raise NotFound(f"Blob {key!r} does not exist.") from None
        except Exception as exc:
            raise _unavailable(exc) from exc
        return resp["Body"]

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise _unavailable(exc) from exc


def _unavailable(exc: Exception) -> Exception:
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return Unavailable(f"S3 refused the request ({error.get('Code')}): {error.get('Message')}")
    if isinstance(exc, BotoCoreError):
        return Unavailable(f"S3 cannot be reached: {exc}")
    return exc


if TYPE_CHECKING:  # mypy proves the class implements the blob store protocol
    _CONFORMS: type[BlobStore] = S3BlobStore
