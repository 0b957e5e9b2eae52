"""The single-table item store (SQLite, or DynamoDB when scaled out) and the blob store.

Keys and access patterns are listed in the README ("Item store"). A backend implements
:class:`Backend` (synchronous, one call per DynamoDB operation: SQLite) or
:class:`AsyncBackend` (the same, awaited: ``keyvex.store.dynamodb``); :class:`ItemStore` is
the async face the app uses for either. The DynamoDB and S3 modules (``keyvex.store.dynamodb``,
``keyvex.store.s3``) need the ``aws`` extra and are imported from there, not from here.
"""

from keyvex.store._async import ItemStore
from keyvex.store._model import (
    INDEXES,
    MAX_ITEM_BYTES,
    MAX_QUERY_LIMIT,
    MAX_TRANSACTION_ITEMS,
    SK,
    CancelReason,
    Check,
    Condition,
    ConditionFailed,
    Delete,
    Item,
    ItemTooLarge,
    Key,
    Page,
    Put,
    TransactionCanceled,
    TransactOp,
    Update,
    WouldBlock,
    due_key,
)
from keyvex.store._protocol import AsyncBackend, Backend
from keyvex.store.blobs import BlobRef, BlobStore, LocalBlobStore
from keyvex.store.sqlite import SQLiteItemStore

__all__ = [
    "INDEXES",
    "MAX_ITEM_BYTES",
    "MAX_QUERY_LIMIT",
    "MAX_TRANSACTION_ITEMS",
    "SK",
    "AsyncBackend",
    "Backend",
    "BlobRef",
    "BlobStore",
    "CancelReason",
    "Check",
    "Condition",
    "ConditionFailed",
    "Delete",
    "Item",
    "ItemStore",
    "ItemTooLarge",
    "Key",
    "LocalBlobStore",
    "Page",
    "Put",
    "SQLiteItemStore",
    "TransactOp",
    "TransactionCanceled",
    "Update",
    "WouldBlock",
    "due_key",
]
