"""The Keyvex stack: network, data, Redis, the job queue, secrets, services and alarms."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from keyvex_infra.access import grant_store
from keyvex_infra.alarms import Alarms
from keyvex_infra.cache import Cache
from keyvex_infra.data import Data
from keyvex_infra.options import REPO_ROOT, StackOptions
from keyvex_infra.queue import JobQueue
from keyvex_infra.services import WEB_PORT, Services, scale_workers_on_backlog


class KeyvexStack(Stack):
    """One region, two availability zones, everything Keyvex needs to run scaled out."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        options: StackOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        options = options or StackOptions()
        if "KEYVEX_ENCRYPTION_KEY" not in options.provided_keys:
            raise ValueError("providedKeys must include KEYVEX_ENCRYPTION_KEY (production).")
        self.vpc = _vpc(self)
        self.data = Data(self, "Data")
        self.cache = Cache(self, "Cache", vpc=self.vpc, node_type="cache.t4g.small")
        self.queue = JobQueue(self, "JobQueue", redis_url=self.cache.url)
        self.secret_key, self.provided = _secret_sources(self, options)
        self.services = Services(
            self,
            "Services",
            vpc=self.vpc,
            image=_image(options),
            environment=self.container_environment(options),
            secrets=self._secrets(options),
            options=options,
        )
        self.cache.allow_from(self.services.web_security_group)
        self.cache.allow_from(self.services.worker_security_group)
        grant_store(self.services.task_role, self.data.table, self.data.bucket)
        scale_workers_on_backlog(self.services.worker, self.data.table.table_name, options)
        self.alarms = Alarms(
            self,
            "Alarms",
            load_balancer=self.services.web.load_balancer,
            table=self.data.table,
            alarm_email=options.alarm_email,
        )
        scheme = "https" if options.certificate_arn else "http"
        address = self.services.web.load_balancer.load_balancer_dns_name
        CfnOutput(self, "Url", value=f"{scheme}://{address}")
        CfnOutput(self, "Table", value=self.data.table.table_name)
        CfnOutput(self, "Bucket", value=self.data.bucket.bucket_name)

    def container_environment(self, options: StackOptions) -> dict[str, str]:
        """The containers' plain settings (names from keyvex/settings.py); no secret here."""
        env = {
            "KEYVEX_ENV": "production",
            "KEYVEX_PORT": str(WEB_PORT),
            "KEYVEX_DATA_DIR": "/home/keyvex/data",  # scratch only: items and blobs are on AWS
            "KEYVEX_STORE_BACKEND": "dynamodb",
            "KEYVEX_DYNAMODB_TABLE": self.data.table.table_name,
            "KEYVEX_BLOB_BACKEND": "s3",
            "KEYVEX_S3_BUCKET": self.data.bucket.bucket_name,
            # rate limits, the invalidation bus, SSE wake-ups and the job queue: one Redis
            # (KEYVEX_RATE_LIMIT_STORAGE left empty follows KEYVEX_REDIS_URL)
            "KEYVEX_REDIS_URL": self.queue.redis_url,
            # only the load balancer reaches the tasks, from inside the VPC
            "KEYVEX_FORWARDED_ALLOW_IPS": self.vpc.vpc_cidr_block,
            "KEYVEX_COOKIE_SECURE": "always" if options.certificate_arn else "auto",
            "KEYVEX_LOG_FORMAT": "json",
            "AWS_REGION": self.region,
            **self.queue.environment(),
        }
        if options.base_url:
            env["KEYVEX_BASE_URL"] = options.base_url
        return {**env, **options.extra_environment}

    def _secrets(self, options: StackOptions) -> dict[str, ecs.Secret]:
        secrets = {"KEYVEX_SECRET_KEY": ecs.Secret.from_secrets_manager(self.secret_key)}
        for name in options.provided_keys:
            secrets[name] = ecs.Secret.from_secrets_manager(self.provided, field=name)
        return secrets


def _image(options: StackOptions) -> ecs.ContainerImage:
    if options.image:
        return ecs.ContainerImage.from_registry(options.image)
    return ecs.ContainerImage.from_asset(str(REPO_ROOT))  # ./Dockerfile, built at deploy


def _vpc(scope: Construct) -> ec2.Vpc:
    """Two zones, public subnets (the load balancer, one NAT) and private ones (tasks, Redis)."""
    vpc = ec2.Vpc(
        scope,
        "Vpc",
        max_azs=2,
        nat_gateways=1,  # one NAT for outbound calls (AI providers, webhooks, SMTP)
        subnet_configuration=[
            ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC),
            ec2.SubnetConfiguration(name="private", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        ],
    )
    # AWS calls stay inside the VPC (and off the NAT's bill).
    vpc.add_gateway_endpoint("DynamoDB", service=ec2.GatewayVpcEndpointAwsService.DYNAMODB)
    vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3)
    return vpc


def _secret_sources(
    scope: Construct, options: StackOptions
) -> tuple[secretsmanager.ISecret, secretsmanager.ISecret]:
    """The generated KEYVEX_SECRET_KEY, and the operator's secret of the provided keys."""
    generated = secretsmanager.Secret(
        scope,
        "SecretKey",
        description="KEYVEX_SECRET_KEY (generated)",
        generate_secret_string=secretsmanager.SecretStringGenerator(
            password_length=64, exclude_punctuation=True, include_space=False
        ),
    )
    provided = secretsmanager.Secret.from_secret_name_v2(
        scope, "Provided", options.provided_secret_name
    )
    return generated, provided
