"""The app on DynamoDB + S3 (moto): settings pick the backends, `keyvex store init` makes the
table, and a creator's journey (sign up, publish, a visitor's lead, read back) works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from keyvex.cli import app as cli
from keyvex.errors import ConfigError
from keyvex.settings import Settings, load_settings
from keyvex.store import ItemStore
from keyvex.store.s3 import S3BlobStore
from tests.aws_emulator import REGION
from tests.conftest import ApiUser


@pytest.fixture
def settings(tmp_path: Path, dynamodb_table: str, s3_bucket: str) -> Settings:
    """The app's settings for every test here: DynamoDB and S3 of the emulator."""
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        store_backend="dynamodb",
        dynamodb_table=dynamodb_table,
        blob_backend="s3",
        s3_bucket=s3_bucket,
    )


def test_a_lead_goes_through_the_app_on_dynamodb_and_s3(
    alice: ApiUser, dynamodb_table: str
) -> None:
    state: Any = alice.client.app.state.keyvex  # type: ignore[attr-defined]
    assert isinstance(state.store, ItemStore) and type(state.store).__name__ != "ItemStore"
    assert isinstance(state.blobs, S3BlobStore)
    tool = alice.post("/api/v1/tools/from-template/roi-calculator").json()
    slug = alice.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]
    body = {
        "answers": {"investment": 40000},
        "contact": {"email": "vera@example.com", "name": "Vera"},
        "consent": True,
        "idempotency_key": "aws-smoke-lead-0001",
        "elapsed_ms": 9000,
    }
    first = alice.client.post(f"/t/{slug}/submit", json=body)
    assert first.status_code == 201, first.text
    again = alice.client.post(f"/t/{slug}/submit", json=body)
    assert again.json()["lead_id"] == first.json()["lead_id"]  # idempotent on DynamoDB too
    alice.client.portal.call(state.jobs.wait_idle)  # type: ignore[union-attr]
    leads = alice.get(f"/api/v1/tools/{tool['id']}/leads").json()["leads"]
    assert [lead["id"] for lead in leads] == [first.json()["lead_id"]]
    raw = boto3.client("dynamodb", region_name=REGION).query(
        TableName=dynamodb_table,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :lead)",
        ExpressionAttributeValues={":pk": {"S": f"TOOL#{tool['id']}"}, ":lead": {"S": "LEAD#"}},
    )
    assert raw["Count"] == 1  # the lead really is in the table


def test_blobs_of_the_app_live_in_the_bucket(alice: ApiUser, s3_bucket: str) -> None:
    state: Any = alice.client.app.state.keyvex  # type: ignore[attr-defined]
    ref = state.blobs.put("uploads/u1/a/file.csv", iter([b"a,b\n", b"1,2\n"]))
    listed = boto3.client("s3", region_name=REGION).list_objects_v2(Bucket=s3_bucket)
    assert [entry["Key"] for entry in listed["Contents"]] == ["uploads/u1/a/file.csv"]
    with state.blobs.open(ref.key) as fh:
        assert fh.read() == b"a,b\n1,2\n"


def test_store_init_makes_the_table_and_can_run_again(
    aws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEYVEX_STORE_BACKEND", "dynamodb")
    monkeypatch.setenv("KEYVEX_DYNAMODB_TABLE", "kvx-init-test")
    client = boto3.client("dynamodb", region_name=REGION)
    try:
        first = CliRunner().invoke(cli, ["store", "init"])
        assert first.exit_code == 0, first.output
        assert "Created table 'kvx-init-test'" in first.output
        assert "Point-in-time recovery" in first.output
        table = client.describe_table(TableName="kvx-init-test")["Table"]
        assert {i["IndexName"] for i in table["GlobalSecondaryIndexes"]} == {"GSI1", "GSI2"}
        ttl = client.describe_time_to_live(TableName="kvx-init-test")["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}
        second = CliRunner().invoke(cli, ["store", "init"])
        assert second.exit_code == 0 and "already exists" in second.output
    finally:
        client.delete_table(TableName="kvx-init-test")


def test_store_init_on_sqlite_says_nothing_is_needed(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["store", "init"], env={"KEYVEX_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0 and "created on first use" in result.output


def test_an_unknown_backend_is_a_config_error_naming_the_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KEYVEX_STORE_BACKEND", "postgres")
    with pytest.raises(ConfigError, match="KEYVEX_STORE_BACKEND"):
        load_settings()
    monkeypatch.setenv("KEYVEX_STORE_BACKEND", "sqlite")
    monkeypatch.setenv("KEYVEX_BLOB_BACKEND", "ftp")
    with pytest.raises(ConfigError, match="KEYVEX_BLOB_BACKEND"):
        load_settings()


def test_s3_blobs_need_a_bucket(tmp_path: Path) -> None:
    from keyvex.app import build_app

    with pytest.raises(ConfigError, match="KEYVEX_S3_BUCKET"):
        build_app(Settings(env="test", data_dir=tmp_path, blob_backend="s3"))
