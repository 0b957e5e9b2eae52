"""CloudWatch alarms (5xx rate, job queue age, dead letters, DynamoDB throttles) and the
scheduled function that measures the job queue."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from keyvex_infra.data import INDEXES
from keyvex_infra.job_metrics.handler import INDEX, NAMESPACE
from keyvex_infra.services import LOG_RETENTION

JOB_METRICS_CODE = Path(__file__).parent / "job_metrics"
FIVE_MINUTES = Duration.minutes(5)
MAX_5XX_PERCENT = 5
MAX_QUEUE_AGE_SECONDS = 300


class Alarms(Construct):
    """Every alarm notifies one SNS topic (`alarm_email` subscribes an address to it)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        load_balancer: elbv2.IApplicationLoadBalancer,
        table: dynamodb.ITable,
        alarm_email: str | None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Topic", display_name="Keyvex alarms")
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        self.job_metrics = _job_metrics_function(self, table)
        self.alarms = [
            self._5xx_rate(load_balancer),
            *self._jobs(table.table_name),
            self._throttles(table.table_name),
        ]
        for alarm in self.alarms:
            alarm.add_alarm_action(actions.SnsAction(self.topic))

    def _5xx_rate(self, lb: elbv2.IApplicationLoadBalancer) -> cloudwatch.Alarm:
        m = lb.metrics
        rate = cloudwatch.MathExpression(
            expression="100 * (FILL(target, 0) + FILL(elb, 0)) / FILL(requests, 1)",
            using_metrics={
                "target": m.http_code_target(elbv2.HttpCodeTarget.TARGET_5XX_COUNT),
                "elb": m.http_code_elb(elbv2.HttpCodeElb.ELB_5XX_COUNT),
                "requests": m.request_count(),
            },
            label="5xx responses, % of requests",
            period=FIVE_MINUTES,
        )
        return rate.create_alarm(
            self,
            "Http5xxRate",
            alarm_description=f"More than {MAX_5XX_PERCENT}% of requests answered 5xx "
            "(the app's and the load balancer's own) for 10 of the last 15 minutes.",
            threshold=MAX_5XX_PERCENT,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def _jobs(self, table_name: str) -> list[cloudwatch.Alarm]:
        def metric(name: str, statistic: str) -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace=NAMESPACE,
                metric_name=name,
                dimensions_map={"TableName": table_name},
                statistic=statistic,
                period=Duration.minutes(1),
            )

        age = metric("JobsOldestDueAgeSeconds", "Maximum").create_alarm(
            self,
            "JobQueueAge",
            alarm_description="A due job has waited more than 5 minutes for 5 minutes: workers "
            "down or too few. Missing data alarms too: the job metrics function stopped.",
            threshold=MAX_QUEUE_AGE_SECONDS,
            evaluation_periods=5,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        )
        dead = metric("JobsDeadLetter", "Maximum").create_alarm(
            self,
            "JobDeadLetters",
            alarm_description="Jobs were given up after their last attempt (the dead-letter "
            "list: items with GSI2PK=JOB_DEAD, kept 30 days); the alarm stays on while the "
            "list is not empty.",
            threshold=0,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        return [age, dead]

    def _throttles(self, table_name: str) -> cloudwatch.Alarm:
        using: dict[str, cloudwatch.IMetric] = {}
        for index in (None, *INDEXES):
            dimensions = {"TableName": table_name}
            if index:
                dimensions["GlobalSecondaryIndexName"] = index
            for kind in ("Read", "Write"):
                using[f"{kind.lower()}{index or 'table'}".lower()] = cloudwatch.Metric(
                    namespace="AWS/DynamoDB",
                    metric_name=f"{kind}ThrottleEvents",
                    dimensions_map=dimensions,
                    statistic="Sum",
                    period=FIVE_MINUTES,
                )
        total = cloudwatch.MathExpression(
            expression=" + ".join(f"FILL({name}, 0)" for name in using),
            using_metrics=using,
            label="DynamoDB throttle events (table and indexes)",
            period=FIVE_MINUTES,
        )
        return total.create_alarm(
            self,
            "DynamoDBThrottles",
            alarm_description="DynamoDB throttled reads or writes on the item table or its "
            "indexes in two consecutive 5-minute periods (on-demand tables throttle on "
            "sudden peaks above twice the previous peak, and on hot partitions).",
            threshold=0,
            evaluation_periods=2,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )


def _job_metrics_function(scope: Construct, table: dynamodb.ITable) -> lambda_.Function:
    """Every minute: query GSI2 for due and dead jobs, publish to Keyvex/Jobs."""
    group = logs.LogGroup(
        scope, "JobMetricsLogs", retention=LOG_RETENTION, removal_policy=RemovalPolicy.DESTROY
    )
    function = lambda_.Function(
        scope,
        "JobMetrics",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="handler.handler",
        code=lambda_.Code.from_asset(str(JOB_METRICS_CODE), exclude=["__pycache__"]),
        environment={"KEYVEX_DYNAMODB_TABLE": table.table_name},
        timeout=Duration.seconds(50),
        memory_size=128,
        log_group=group,
        description="Keyvex job queue age, backlog and dead letters for CloudWatch",
    )
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=["dynamodb:Query"], resources=[f"{table.table_arn}/index/{INDEX}"]
        )
    )
    function.add_to_role_policy(
        iam.PolicyStatement(
            actions=["cloudwatch:PutMetricData"],
            resources=["*"],  # PutMetricData has no resource; the namespace is the limit
            conditions={"StringEquals": {"cloudwatch:namespace": NAMESPACE}},
        )
    )
    events.Rule(
        scope,
        "JobMetricsSchedule",
        schedule=events.Schedule.rate(Duration.minutes(1)),
        targets=[targets.LambdaFunction(function)],
    )
    return function
