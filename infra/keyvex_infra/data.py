"""The item store's DynamoDB table and the blob store's S3 bucket: data that outlives a deploy."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from constructs import Construct

#: The single-table design (README, "Item store"): PK/SK and two overloaded indexes, the
#: same names `keyvex store init` creates (keyvex.store.INDEXES).
INDEXES = {"GSI1": ("GSI1PK", "GSI1SK"), "GSI2": ("GSI2PK", "GSI2SK")}
TTL_ATTRIBUTE = "ttl"


class Data(Construct):
    """The table and the bucket, both kept (RETAIN) when the stack is deleted."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.table = self._table()
        self.bucket = s3.Bucket(
            self,
            "Blobs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[
                # versioning keeps overwritten blobs; old versions go after 30 days
                s3.LifecycleRule(noncurrent_version_expiration=Duration.days(30)),
                s3.LifecycleRule(abort_incomplete_multipart_upload_after=Duration.days(7)),
            ],
        )

    def _table(self) -> dynamodb.Table:
        key = dynamodb.AttributeType.STRING
        table = dynamodb.Table(
            self,
            "Items",
            partition_key=dynamodb.Attribute(name="PK", type=key),
            sort_key=dynamodb.Attribute(name="SK", type=key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            time_to_live_attribute=TTL_ATTRIBUTE,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index, (pk, sk) in INDEXES.items():
            table.add_global_secondary_index(
                index_name=index,
                partition_key=dynamodb.Attribute(name=pk, type=key),
                sort_key=dynamodb.Attribute(name=sk, type=key),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        return table
