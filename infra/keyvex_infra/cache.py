"""ElastiCache Redis in the private subnets: rate limits, cache invalidation, SSE, the job queue."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticache as elasticache
from constructs import Construct

REDIS_PORT = 6379


class Cache(Construct):
    """A Redis replication group (primary + replica, automatic failover, TLS in transit,
    encrypted at rest). Its security group admits nothing until :meth:`allow_from`."""

    def __init__(
        self, scope: Construct, construct_id: str, *, vpc: ec2.IVpc, node_type: str
    ) -> None:
        super().__init__(scope, construct_id)
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            description="Keyvex Redis: reachable only from the Keyvex services",
            allow_all_outbound=False,
        )
        subnets = elasticache.CfnSubnetGroup(
            self,
            "Subnets",
            description="Keyvex Redis private subnets",
            subnet_ids=vpc.select_subnets(
                subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
            ).subnet_ids,
        )
        self.group = elasticache.CfnReplicationGroup(
            self,
            "Redis",
            replication_group_description="Keyvex Redis",
            engine="redis",
            engine_version="7.1",
            cache_node_type=node_type,
            num_cache_clusters=2,
            automatic_failover_enabled=True,
            multi_az_enabled=True,
            transit_encryption_enabled=True,
            transit_encryption_mode="required",
            at_rest_encryption_enabled=True,
            port=REDIS_PORT,
            cache_subnet_group_name=subnets.ref,
            security_group_ids=[self.security_group.security_group_id],
            snapshot_retention_limit=1,
        )

    @property
    def url(self) -> str:
        """KEYVEX_REDIS_URL: TLS (`rediss://`) to the primary endpoint, database 0."""
        host = self.group.attr_primary_end_point_address
        port = self.group.attr_primary_end_point_port
        return f"rediss://{host}:{port}/0"

    def allow_from(self, peer: ec2.ISecurityGroup) -> None:
        self.security_group.add_ingress_rule(
            peer, ec2.Port.tcp(REDIS_PORT), "Keyvex services to Redis"
        )
