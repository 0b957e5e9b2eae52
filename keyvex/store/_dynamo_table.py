"""Create the DynamoDB table of the item store (``keyvex store init``); safe to run again."""

from __future__ import annotations

from typing import Any

from keyvex.errors import ConfigError, Unavailable
from keyvex.store._aws import AWS_EXTRA, no_region, region
from keyvex.store._model import INDEXES

_KEYS = ["PK", "SK"] + [attr for pair in INDEXES.values() for attr in pair]


def _definition(table: str) -> dict[str, Any]:
    return {
        "TableName": table,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in _KEYS],
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": pk, "KeyType": "HASH"},
                    {"AttributeName": sk, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index, (pk, sk) in INDEXES.items()
        ],
    }


def init_table(table: str) -> list[str]:
    """Create ``table`` (PK/SK, GSI1, GSI2, on-demand), turn on TTL on ``ttl`` and
    point-in-time recovery; an existing table is kept. Returns one sentence per step."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError, NoRegionError
    except ImportError as exc:
        raise ConfigError(f"The dynamodb backend needs {AWS_EXTRA}.") from exc
    try:
        client = boto3.client("dynamodb", region_name=region())
        return [_create(client, table), _ttl(client, table), _recovery(client, table, ClientError)]
    except NoRegionError:
        raise no_region() from None
    except (BotoCoreError, ClientError) as exc:
        raise Unavailable(f"DynamoDB refused to set up table {table!r}: {exc}") from None


def _create(client: Any, table: str) -> str:
    try:
        client.create_table(**_definition(table))
    except client.exceptions.ResourceInUseException:
        client.get_waiter("table_exists").wait(TableName=table)
        return f"Table {table!r} already exists; kept as it is."
    client.get_waiter("table_exists").wait(TableName=table)
    return f"Created table {table!r} (PK/SK, GSI1, GSI2, on-demand capacity)."


def _ttl(client: Any, table: str) -> str:
    current = client.describe_time_to_live(TableName=table).get("TimeToLiveDescription", {})
    if current.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return f"Time to live is on (attribute {current.get('AttributeName')!r})."
    client.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )
    return "Turned on time to live (attribute 'ttl')."


def _recovery(client: Any, table: str, client_error: type[Exception]) -> str:
    try:
        client.update_continuous_backups(
            TableName=table,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
    except client_error as exc:
        return f"Point-in-time recovery was not turned on (this endpoint refused: {exc})."
    return "Point-in-time recovery is on."
