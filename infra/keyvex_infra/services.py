"""The ECS cluster and its two Fargate services running the one image: `web` and `worker`."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_applicationautoscaling as autoscaling
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_ecs_patterns as ecs_patterns
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from keyvex_infra.job_metrics.handler import NAMESPACE
from keyvex_infra.options import StackOptions

WEB_PORT = 8000
WEB_COMMAND = ["keyvex", "serve", "--host", "0.0.0.0", "--port", str(WEB_PORT)]
WORKER_COMMAND = ["keyvex", "worker"]
HEALTH_CHECK_PATH = "/readyz"  # answers 503 when the store cannot be reached
LOG_RETENTION = logs.RetentionDays.ONE_MONTH


class Services(Construct):
    """Both services share one task role (the store's permissions); each has its own
    security group, both admitted by Redis; only `web` is reachable, through the load
    balancer."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        image: ecs.ContainerImage,
        environment: dict[str, str],
        secrets: dict[str, ecs.Secret],
        options: StackOptions,
    ) -> None:
        super().__init__(scope, construct_id)
        self.cluster = ecs.Cluster(
            self, "Cluster", vpc=vpc, container_insights_v2=ecs.ContainerInsights.ENABLED
        )
        self.task_role = iam.Role(
            self,
            "TaskRole",
            assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
            description="Keyvex web and worker tasks: the item table and the blob bucket",
        )
        self.web_security_group = ec2.SecurityGroup(
            self, "WebTasks", vpc=vpc, description="Keyvex web tasks, the load balancer targets"
        )
        self.worker_security_group = ec2.SecurityGroup(
            self, "WorkerTasks", vpc=vpc, description="Keyvex worker tasks (no inbound)"
        )
        self.web_logs = _log_group(self, "WebLogs")
        self.worker_logs = _log_group(self, "WorkerLogs")
        self._image, self._environment, self._secrets = image, environment, secrets
        self.web = self._web(options)
        self.worker = self._worker(options)

    def _task(self, name: str, cpu: int, memory: int) -> ecs.FargateTaskDefinition:
        return ecs.FargateTaskDefinition(
            self,
            f"{name}Task",
            cpu=cpu,
            memory_limit_mib=memory,
            task_role=self.task_role,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.X86_64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
        )

    def _container(
        self, task: ecs.FargateTaskDefinition, name: str, command: list[str], group: logs.LogGroup
    ) -> ecs.ContainerDefinition:
        return task.add_container(
            name,
            image=self._image,
            command=command,
            environment=self._environment,
            secrets=self._secrets,  # resolved by ECS at start; never in the task definition
            logging=ecs.LogDrivers.aws_logs(stream_prefix=name, log_group=group),
            stop_timeout=Duration.seconds(30),  # > the worker's 10 s grace for running jobs
            readonly_root_filesystem=False,
        )

    def _web(self, options: StackOptions) -> ecs_patterns.ApplicationLoadBalancedFargateService:
        task = self._task("Web", cpu=512, memory=1024)
        container = self._container(task, "web", WEB_COMMAND, self.web_logs)
        container.add_port_mappings(ecs.PortMapping(container_port=WEB_PORT))
        https = options.certificate_arn is not None
        web = ecs_patterns.ApplicationLoadBalancedFargateService(
            self,
            "Web",
            cluster=self.cluster,
            task_definition=task,
            desired_count=options.web_min,
            public_load_balancer=True,
            security_groups=[self.web_security_group],
            task_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            # With a certificate: HTTPS on 443 and port 80 redirected to it. Without one
            # (a first deploy, before a domain exists) plain HTTP on 80: put a certificate
            # in (-c certificateArn=...) before real users sign in.
            protocol=elbv2.ApplicationProtocol.HTTPS if https else elbv2.ApplicationProtocol.HTTP,
            certificate=(
                acm.Certificate.from_certificate_arn(self, "Certificate", options.certificate_arn)
                if options.certificate_arn
                else None
            ),
            redirect_http=https,
            ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS if https else None,
            circuit_breaker=ecs.DeploymentCircuitBreaker(rollback=True),
            min_healthy_percent=100,
            health_check_grace_period=Duration.seconds(60),
        )
        _check_and_scale(web, options)
        return web

    def _worker(self, options: StackOptions) -> ecs.FargateService:
        task = self._task("Worker", cpu=512, memory=1024)
        self._container(task, "worker", WORKER_COMMAND, self.worker_logs)
        return ecs.FargateService(
            self,
            "Worker",
            cluster=self.cluster,
            task_definition=task,
            desired_count=options.workers,
            security_groups=[self.worker_security_group],
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            circuit_breaker=ecs.DeploymentCircuitBreaker(rollback=True),
            min_healthy_percent=50,
        )


def _log_group(scope: Construct, name: str) -> logs.LogGroup:
    return logs.LogGroup(scope, name, retention=LOG_RETENTION, removal_policy=RemovalPolicy.RETAIN)


def _check_and_scale(
    web: ecs_patterns.ApplicationLoadBalancedFargateService, options: StackOptions
) -> None:
    """Health check on /readyz; 2..N tasks tracking CPU and requests per task."""
    web.target_group.configure_health_check(
        path=HEALTH_CHECK_PATH,
        healthy_http_codes="200",
        interval=Duration.seconds(15),
        healthy_threshold_count=2,
        unhealthy_threshold_count=3,
    )
    web.target_group.set_attribute("deregistration_delay.timeout_seconds", "30")
    scaling = web.service.auto_scale_task_count(
        min_capacity=options.web_min, max_capacity=options.web_max
    )
    scaling.scale_on_cpu_utilization("Cpu", target_utilization_percent=60)
    scaling.scale_on_request_count(
        "Requests", requests_per_target=1000, target_group=web.target_group
    )


def scale_workers_on_backlog(
    worker: ecs.FargateService, table_name: str, options: StackOptions
) -> None:
    """More workers while due jobs pile up (JobsDue, published every minute by the job
    metrics function), back to `workers` once the backlog is gone."""
    backlog = cloudwatch.Metric(
        namespace=NAMESPACE,
        metric_name="JobsDue",
        dimensions_map={"TableName": table_name},
        statistic="Maximum",
        period=Duration.minutes(1),
    )
    scaling = worker.auto_scale_task_count(
        min_capacity=options.workers, max_capacity=max(options.workers, options.workers_max)
    )
    scaling.scale_on_metric(
        "Backlog",
        metric=backlog,
        scaling_steps=[
            autoscaling.ScalingInterval(upper=0, change=-1),
            autoscaling.ScalingInterval(lower=100, change=+1),
            autoscaling.ScalingInterval(lower=1000, change=+3),
        ],
        adjustment_type=autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
        cooldown=Duration.minutes(3),
        evaluation_periods=3,
    )
