"""Least-privilege IAM for the tasks: exactly the calls the item store and blob store make."""

from __future__ import annotations

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

#: keyvex.store.dynamodb: reads, conditional writes, batches, transactions (whose puts,
#: updates, deletes and condition checks are authorised one by one), GSI queries and the
#: bounded TTL sweep (one Scan page per round). No table management: the stack owns the table.
TABLE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)
#: keyvex.store.s3: objects in the one bucket (uploads may be multipart).
OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")
#: listing a prefix (deleting a tool's blobs), and a missing key answered 404, not 403.
BUCKET_ACTIONS = ("s3:ListBucket",)


def grant_store(role: iam.IRole, table: dynamodb.ITable, bucket: s3.IBucket) -> None:
    """Give ``role`` the item store's calls on ``table`` (and its indexes) and the blob
    store's on ``bucket``; nothing else in either account-wide service."""
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=list(TABLE_ACTIONS),
            resources=[table.table_arn, f"{table.table_arn}/index/*"],
        )
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(OBJECT_ACTIONS), resources=[bucket.arn_for_objects("*")])
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(BUCKET_ACTIONS), resources=[bucket.bucket_arn])
    )
