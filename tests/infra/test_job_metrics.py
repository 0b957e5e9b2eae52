"""The job metrics function (infra/keyvex_infra/job_metrics) against moto's DynamoDB and
CloudWatch, on job records written by the jobs module through the DynamoDB item store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from keyvex.jobs.records import DEAD, DUE, due_sk, new_job_item
from keyvex.store import due_key
from tests.aws_emulator import REGION, SyncFace
from tests.infra import _synth  # noqa: F401  (puts infra/ on sys.path)


@pytest.fixture
def store(dynamodb_table: str) -> Iterator[Any]:
    from keyvex.store.dynamodb import DynamoDBItemStore

    face = SyncFace(DynamoDBItemStore(dynamodb_table))
    yield face
    face.close()


def _job(store: Any, job_id: str, run_at: float) -> None:
    store.put(new_job_item(job_id, "email.lead", {}, owner=None, run_at=run_at, max_attempts=3))


def _dead(store: Any, job_id: str, at: float, ttl: int) -> None:
    item = new_job_item(job_id, "webhook.attempt", {}, owner=None, run_at=at, max_attempts=1)
    item.update(status="failed", GSI2PK=DEAD, GSI2SK=due_sk(at, ""), ttl=ttl)
    store.put(item)


def test_the_function_repeats_the_store_due_key_format() -> None:
    from keyvex_infra.job_metrics.handler import DEAD as FN_DEAD
    from keyvex_infra.job_metrics.handler import DUE as FN_DUE
    from keyvex_infra.job_metrics.handler import due_key as fn_due_key

    for at in (0.0, 1.5, 1_800_000_000.123, time.time()):
        assert fn_due_key(at) == due_key(at)
    assert (FN_DUE, FN_DEAD) == (DUE, DEAD)


def test_queue_age_backlog_and_dead_letters_are_measured_from_job_records(
    store: Any, dynamodb_table: str
) -> None:
    import boto3
    from keyvex_infra.job_metrics.handler import measure

    now = time.time()
    _job(store, "waited-long", now - 120)
    _job(store, "waited-short", now - 30)
    _job(store, "later", now + 600)  # a retry after its backoff: not yet due
    _dead(store, "given-up", now - 60, ttl=int(now) + 86400)
    _dead(store, "expired", now - 90000, ttl=int(now) - 10)  # past its ttl, not yet swept
    client = boto3.client("dynamodb", region_name=REGION)
    figures = measure(client, dynamodb_table, now)
    assert figures["JobsOldestDueAgeSeconds"] == pytest.approx(120, abs=0.01)
    assert figures["JobsDue"] == 2
    assert figures["JobsDeadLetter"] == 1


def test_an_empty_queue_measures_zero(dynamodb_table: str) -> None:
    import boto3
    from keyvex_infra.job_metrics.handler import measure

    client = boto3.client("dynamodb", region_name=REGION)
    assert measure(client, dynamodb_table, time.time()) == {
        "JobsOldestDueAgeSeconds": 0.0,
        "JobsDue": 0.0,
        "JobsDeadLetter": 0.0,
    }


def test_the_handler_publishes_the_figures_to_cloudwatch(
    store: Any, dynamodb_table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3
    from keyvex_infra.job_metrics.handler import NAMESPACE, handler

    _job(store, "due", time.time() - 10)
    monkeypatch.setenv("KEYVEX_DYNAMODB_TABLE", dynamodb_table)
    figures = handler({}, None)
    assert figures["JobsDue"] == 1
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    listed = cloudwatch.list_metrics(
        Namespace=NAMESPACE, Dimensions=[{"Name": "TableName", "Value": dynamodb_table}]
    )["Metrics"]
    assert {m["MetricName"] for m in listed} == {
        "JobsOldestDueAgeSeconds",
        "JobsDue",
        "JobsDeadLetter",
    }
