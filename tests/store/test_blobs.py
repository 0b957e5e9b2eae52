"""The blob store contract: put/get/delete and folder deletion (every blob store passes these)."""

from __future__ import annotations

import pytest

from keyvex.errors import Invalid, NotFound
from keyvex.store.blobs import BlobStore

# The ``blobs`` fixture (tests/store/conftest.py) runs every test on each blob store.


def test_a_blob_reads_back_with_its_size_and_digest(blobs: BlobStore) -> None:
    ref = blobs.put("uploads/u1/a/file.csv", [b"a,b\n", b"1,2\n"])
    assert (ref.size, len(ref.sha256)) == (8, 64)
    assert blobs.get("uploads/u1/a/file.csv") == b"a,b\n1,2\n"


def test_deleting_a_folder_removes_every_blob_under_it_and_nothing_else(blobs: BlobStore) -> None:
    for key in ("uploads/u1/a/x.csv", "uploads/u1/b/y.csv", "uploads/u10/c/z.csv", "data/s/1.json"):
        blobs.put(key, b"x")
    assert blobs.delete_prefix("uploads/u1/") == 2
    with pytest.raises(NotFound):
        blobs.get("uploads/u1/a/x.csv")
    assert blobs.get("uploads/u10/c/z.csv") == b"x"  # a longer id sharing the prefix stays
    assert blobs.get("data/s/1.json") == b"x"
    assert blobs.delete_prefix("uploads/u1/") == 0  # nothing left: not an error


def test_a_folder_prefix_must_end_with_a_slash_and_stay_inside(blobs: BlobStore) -> None:
    blobs.put("uploads/u1/a.csv", b"x")
    for prefix in ("uploads/u1", "../", "uploads/../../etc/", ""):
        with pytest.raises(Invalid):
            blobs.delete_prefix(prefix)
    assert blobs.get("uploads/u1/a.csv") == b"x"
