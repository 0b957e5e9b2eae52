"""DynamoDB calls for the item store: one aiobotocore client, errors turned into Keyvex errors.

A failed condition becomes :class:`CheckFailed` (with the item as it was, when DynamoDB sent
it) and a cancelled transaction :class:`Canceled` (with DynamoDB's cancellation reasons):
the backend decides what they mean. Throttling, a missing table, bad credentials or an
unreachable endpoint become ``Unavailable``; an oversized item ``ItemTooLarge``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from keyvex.errors import ConfigError, Invalid, Unavailable
from keyvex.store._aws import AWS_EXTRA, no_region, open_client
from keyvex.store._dynamo_loop import ClientLoop
from keyvex.store._model import ItemTooLarge

_UNPROCESSED_ATTEMPTS = 8
_THROTTLED = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)


class CheckFailed(Exception):
    """A ConditionExpression did not hold; ``item`` is the item DynamoDB saw (or None)."""

    def __init__(self, item: dict[str, Any] | None) -> None:
        super().__init__("condition failed")
        self.item = item


class Canceled(Exception):
    """TransactWriteItems was cancelled; ``reasons[i]`` is DynamoDB's reason for op ``i``."""

    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        super().__init__("transaction cancelled")
        self.reasons = reasons


class DynamoCalls:
    """The client of one table; ``call`` names the operation and its parameters."""

    def __init__(self, table: str, max_connections: int) -> None:
        try:
            from botocore.exceptions import NoRegionError
        except ImportError as exc:
            raise ConfigError(f"The dynamodb backend needs {AWS_EXTRA}.") from exc
        self.table = table
        try:
            self._io = ClientLoop(
                lambda: open_client("dynamodb", max_connections), "keyvex-dynamodb"
            )
        except NoRegionError:
            raise no_region() from None

    def close(self) -> None:
        self._io.close()

    async def call(self, operation: str, **params: Any) -> dict[str, Any]:
        if operation not in ("batch_get_item", "batch_write_item", "transact_write_items"):
            params["TableName"] = self.table
        method = getattr(self._io.client, operation)
        try:
            result: dict[str, Any] = await self._io.call(lambda: method(**params))
        except Exception as exc:
            raise self._translate(exc) from exc
        return result

    async def until_processed(
        self, operation: str, param: str, unprocessed: str, request: dict[str, Any]
    ) -> AsyncIterator[dict[str, Any]]:
        """Send a batch request, then what DynamoDB left unprocessed, with backoff."""
        for attempt in range(_UNPROCESSED_ATTEMPTS):
            resp = await self.call(operation, **{param: request})
            yield resp
            request = resp.get(unprocessed) or {}
            if not request:
                return
            await asyncio.sleep(min(1.0, 0.025 * 2**attempt))
        raise Unavailable("DynamoDB kept part of a batch unprocessed (throttled); try again.")

    def _translate(self, exc: Exception) -> Exception:
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, BotoCoreError):  # endpoint unreachable, no credentials ...
            return Unavailable(f"DynamoDB cannot be reached: {exc}")
        if not isinstance(exc, ClientError):
            return exc
        error = exc.response.get("Error", {})
        code, message = error.get("Code", ""), error.get("Message", "")
        if code == "ConditionalCheckFailedException":
            return CheckFailed(exc.response.get("Item"))
        if code == "TransactionCanceledException":
            return Canceled(list(exc.response.get("CancellationReasons", [])))
        if code == "ValidationException":
            if "size" in message.lower() and "exceed" in message.lower():
                return ItemTooLarge(f"DynamoDB refused an item over its 400 KB limit: {message}")
            return Invalid(f"DynamoDB refused the request: {message}")
        if code == "ResourceNotFoundException":
            return Unavailable(
                f"The DynamoDB table {self.table!r} does not exist; create it with "
                "`keyvex store init`."
            )
        if code in _THROTTLED:
            return Unavailable(f"DynamoDB is throttling requests ({code}); try again shortly.")
        return Unavailable(f"DynamoDB refused the request ({code}): {message}")
