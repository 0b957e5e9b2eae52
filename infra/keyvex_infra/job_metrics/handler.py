"""Job queue figures for CloudWatch, read every minute from the jobs' own records.

The queue (taskiq on Redis streams) carries job ids only; the ``JOB#`` items in the item
store are the truth about each job (README, "Jobs, webhooks and outbound requests"), so
they are what is measured:

- ``JobsOldestDueAgeSeconds``: how long the oldest job that is due has been waiting
  (``GSI2PK=JOB_DUE`` with a due time in the past: queued and not yet run, or a run whose
  lease ran out). A job being run under a live lease is due only once its lease ends.
- ``JobsDue``: how many jobs are due (the backlog).
- ``JobsDeadLetter``: jobs given up after their last attempt (``GSI2PK=JOB_DEAD``; they
  expire after 30 days unless an admin deals with them first).

Sort keys use the store's due-key format (``keyvex.store.due_key``: fixed-width epoch
seconds with milliseconds, then ``#`` and a tail). This file runs on AWS Lambda with boto3
only, so the format is repeated here; tests/infra checks it against the store's.
"""

from __future__ import annotations

import os
import time
from typing import Any

NAMESPACE = "Keyvex/Jobs"
INDEX = "GSI2"
DUE = "JOB_DUE"
DEAD = "JOB_DEAD"
MAX_PAGES = 50  # a backlog count stops after 50 pages (~50 MB of index read) per minute


def due_key(at: float) -> str:
    """``keyvex.store.due_key`` without a tail: sorts by time as text."""
    return f"{max(0.0, at):017.3f}"


def measure(client: Any, table: str, now: float) -> dict[str, float]:
    """The three figures, from Query calls on GSI2 of ``table``."""
    due_by_now = {":pk": {"S": DUE}, ":now": {"S": f"{due_key(now)}#~"}}
    oldest = client.query(
        TableName=table,
        IndexName=INDEX,
        KeyConditionExpression="GSI2PK = :pk AND GSI2SK <= :now",
        ExpressionAttributeValues=due_by_now,
        ProjectionExpression="GSI2SK",
        ScanIndexForward=True,
        Limit=1,
    ).get("Items", [])
    age = now - float(oldest[0]["GSI2SK"]["S"].split("#")[0]) if oldest else 0.0
    due = _count(
        client,
        table,
        KeyConditionExpression="GSI2PK = :pk AND GSI2SK <= :now",
        ExpressionAttributeValues=due_by_now,
    )
    dead = _count(
        client,
        table,
        KeyConditionExpression="GSI2PK = :pk",
        FilterExpression="attribute_not_exists(#ttl) OR #ttl > :epoch",  # not yet expired
        ExpressionAttributeNames={"#ttl": "ttl"},
        ExpressionAttributeValues={":pk": {"S": DEAD}, ":epoch": {"N": str(int(now))}},
    )
    return {"JobsOldestDueAgeSeconds": max(0.0, age), "JobsDue": due, "JobsDeadLetter": dead}


def _count(client: Any, table: str, **query: Any) -> float:
    total = 0
    for _ in range(MAX_PAGES):
        page = client.query(TableName=table, IndexName=INDEX, Select="COUNT", **query)
        total += int(page["Count"])
        if "LastEvaluatedKey" not in page:
            break
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return float(total)


def publish(client: Any, table: str, figures: dict[str, float]) -> None:
    """One PutMetricData call; the table name is the metrics' one dimension."""
    client.put_metric_data(
        Namespace=NAMESPACE,
        MetricData=[
            {
                "MetricName": name,
                "Dimensions": [{"Name": "TableName", "Value": table}],
                "Value": value,
                "Unit": "Seconds" if name.endswith("Seconds") else "Count",
            }
            for name, value in figures.items()
        ],
    )


def handler(event: object, context: object) -> dict[str, float]:
    """Lambda entry point (scheduled every minute)."""
    import boto3

    table = os.environ["KEYVEX_DYNAMODB_TABLE"]
    region = os.environ.get("AWS_REGION")  # set by Lambda (and by the tests)
    figures = measure(boto3.client("dynamodb", region_name=region), table, time.time())
    publish(boto3.client("cloudwatch", region_name=region), table, figures)
    return figures
