"""The Keyvex CDK stack, synthesised offline and read as a CloudFormation template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from keyvex.settings import Settings
from keyvex.store import INDEXES
from tests.infra._synth import synthesise


def _one(template: Any, kind: str) -> dict[str, Any]:
    found = template.find_resources(kind)
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return next(iter(found.values()))["Properties"]  # type: ignore[no-any-return]


def _containers(template: Any) -> dict[str, dict[str, Any]]:
    tasks = template.find_resources("AWS::ECS::TaskDefinition").values()
    return {c["Name"]: c for t in tasks for c in t["Properties"]["ContainerDefinitions"]}


def test_the_table_is_the_item_store_single_table_design(template: Any) -> None:
    table = _one(template, "AWS::DynamoDB::Table")
    assert table["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    keys = ["PK", "SK", *(a for pair in INDEXES.values() for a in pair)]
    types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
    assert types == dict.fromkeys(keys, "S")
    indexes = {i["IndexName"]: i for i in table["GlobalSecondaryIndexes"]}
    assert set(indexes) == set(INDEXES)  # the names keyvex store init uses
    for name, (pk, sk) in INDEXES.items():
        assert indexes[name]["KeySchema"] == [
            {"AttributeName": pk, "KeyType": "HASH"},
            {"AttributeName": sk, "KeyType": "RANGE"},
        ]
        assert indexes[name]["Projection"] == {"ProjectionType": "ALL"}
    assert table["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["DeletionProtectionEnabled"] is True
    resource = next(iter(template.find_resources("AWS::DynamoDB::Table").values()))
    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"


def test_the_bucket_is_private_encrypted_versioned_and_kept(template: Any) -> None:
    bucket = _one(template, "AWS::S3::Bucket")
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    resource = next(iter(template.find_resources("AWS::S3::Bucket").values()))
    assert resource["DeletionPolicy"] == "Retain"
    policy = _one(template, "AWS::S3::BucketPolicy")["PolicyDocument"]["Statement"]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in policy
    )


def test_redis_is_encrypted_and_reachable_only_from_the_services(template: Any) -> None:
    redis = _one(template, "AWS::ElastiCache::ReplicationGroup")
    assert redis["Engine"] == "redis"
    assert redis["TransitEncryptionEnabled"] is True
    assert redis["TransitEncryptionMode"] == "required"
    assert redis["AtRestEncryptionEnabled"] is True
    assert redis["AutomaticFailoverEnabled"] is True and redis["NumCacheClusters"] == 2
    redis_group = redis["SecurityGroupIds"][0]["Fn::GetAtt"][0]
    ingress = [
        r["Properties"]
        for r in template.find_resources("AWS::EC2::SecurityGroupIngress").values()
        if r["Properties"]["GroupId"] == {"Fn::GetAtt": [redis_group, "GroupId"]}
    ]
    sources = {r["SourceSecurityGroupId"]["Fn::GetAtt"][0] for r in ingress}
    assert sources == set(_service_security_groups(template))
    assert {(r["FromPort"], r["ToPort"]) for r in ingress} == {(6379, 6379)}
    groups = template.find_resources("AWS::EC2::SecurityGroup")
    assert "SecurityGroupIngress" not in groups[redis_group]["Properties"]  # no CIDR rule


def _service_security_groups(template: Any) -> list[str]:
    services = template.find_resources("AWS::ECS::Service").values()
    return [
        group["Fn::GetAtt"][0]
        for s in services
        for group in s["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"][
            "SecurityGroups"
        ]
    ]


def test_web_and_worker_run_the_one_image_with_their_commands(template: Any) -> None:
    services = template.find_resources("AWS::ECS::Service")
    assert len(services) == 2
    assert all(s["Properties"]["LaunchType"] == "FARGATE" for s in services.values())
    containers = _containers(template)
    assert set(containers) == {"web", "worker"}
    assert containers["web"]["Command"] == [
        "keyvex",
        "serve",
        "--host",
        "0.0.0.0",
        "--port",
        "8000",
    ]
    assert containers["worker"]["Command"] == ["keyvex", "worker"]
    assert containers["web"]["Image"] == containers["worker"]["Image"] == "keyvex:test"
    assert containers["web"]["PortMappings"] == [{"ContainerPort": 8000, "Protocol": "tcp"}]
    for container in containers.values():
        options = container["LogConfiguration"]["Options"]
        assert container["LogConfiguration"]["LogDriver"] == "awslogs"
        assert "Ref" in options["awslogs-group"]  # a log group of the stack, with retention


def test_containers_get_real_settings_and_secrets_only_as_ecs_secrets(template: Any) -> None:
    for name, container in _containers(template).items():
        env = {e["Name"]: e["Value"] for e in container["Environment"]}
        assert env["KEYVEX_STORE_BACKEND"] == "dynamodb"
        assert env["KEYVEX_BLOB_BACKEND"] == "s3"
        assert env["KEYVEX_JOBS"] == "queue"
        assert env["KEYVEX_ENV"] == "production"
        assert env["KEYVEX_DYNAMODB_TABLE"] == {"Ref": _logical(template, "AWS::DynamoDB::Table")}
        assert env["KEYVEX_S3_BUCKET"] == {"Ref": _logical(template, "AWS::S3::Bucket")}
        assert env["KEYVEX_REDIS_URL"]["Fn::Join"][1][0] == "rediss://"  # TLS in transit
        assert env["AWS_REGION"] == "eu-west-1"
        known = {f"KEYVEX_{field.upper()}" for field in Settings.model_fields}
        assert set(env) - {"AWS_REGION"} <= known, f"{name}: not a Keyvex setting"
        secrets = {s["Name"] for s in container["Secrets"]}
        assert secrets == {
            "KEYVEX_SECRET_KEY",
            "KEYVEX_ENCRYPTION_KEY",
            "KEYVEX_OPENAI_API_KEY",
            "KEYVEX_ANTHROPIC_API_KEY",
        }
        assert not secrets & set(env)
        assert secrets <= known
        text = json.dumps(container["Environment"]).lower()
        assert "secret" not in text and "api_key" not in text


def _logical(template: Any, kind: str) -> str:
    return next(iter(template.find_resources(kind)))  # type: ignore[no-any-return]


def test_the_load_balancer_checks_readyz_and_web_scales_on_cpu_and_requests(
    template: Any,
) -> None:
    group = _one(template, "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert group["HealthCheckPath"] == "/readyz"
    assert group["Matcher"] == {"HttpCode": "200"}
    assert group["Port"] == 80 and group["TargetType"] == "ip"
    listener = _one(template, "AWS::ElasticLoadBalancingV2::Listener")
    assert (listener["Port"], listener["Protocol"]) == (80, "HTTP")  # no certificate given
    targets = template.find_resources("AWS::ApplicationAutoScaling::ScalableTarget")
    (web,) = [t["Properties"] for name, t in targets.items() if "Web" in name]
    assert (web["MinCapacity"], web["MaxCapacity"]) == (2, 10)
    policies = template.find_resources("AWS::ApplicationAutoScaling::ScalingPolicy").values()
    metrics = {
        p["Properties"]["TargetTrackingScalingPolicyConfiguration"][
            "PredefinedMetricSpecification"
        ]["PredefinedMetricType"]
        for p in policies
        if p["Properties"]["PolicyType"] == "TargetTrackingScaling"
    }
    assert metrics == {"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"}


def test_workers_scale_out_on_the_job_backlog(template: Any) -> None:
    targets = template.find_resources("AWS::ApplicationAutoScaling::ScalableTarget")
    (worker,) = [t["Properties"] for name, t in targets.items() if "Worker" in name]
    assert (worker["MinCapacity"], worker["MaxCapacity"]) == (2, 8)
    found = template.find_resources("AWS::CloudWatch::Alarm")
    backlog = [a["Properties"] for name, a in found.items() if "Backlog" in name]
    assert {(a["Namespace"], a["MetricName"]) for a in backlog} == {("Keyvex/Jobs", "JobsDue")}
    assert len(backlog) == 2  # scale out above 100 due jobs, in at none


def test_a_certificate_turns_on_https_and_redirects_http(tmp_path: Path) -> None:
    arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d"
    template, _ = synthesise(tmp_path, certificate_arn=arn, base_url="https://kv.example.com")
    listeners = [
        r["Properties"]
        for r in template.find_resources("AWS::ElasticLoadBalancingV2::Listener").values()
    ]
    https = next(x for x in listeners if x["Port"] == 443)
    assert https["Protocol"] == "HTTPS" and https["Certificates"] == [{"CertificateArn": arn}]
    http = next(x for x in listeners if x["Port"] == 80)
    assert http["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    env = {e["Name"]: e["Value"] for e in _containers(template)["web"]["Environment"]}
    assert env["KEYVEX_BASE_URL"] == "https://kv.example.com"
    assert env["KEYVEX_COOKIE_SECURE"] == "always"
    url = template.find_outputs("Url")["Url"]["Value"]["Fn::Join"][1]
    assert url[0] == "https://"


def test_log_groups_keep_logs_for_a_month(template: Any) -> None:
    groups = template.find_resources("AWS::Logs::LogGroup").values()
    assert len(groups) == 3  # web, worker, the job metrics function
    assert {g["Properties"]["RetentionInDays"] for g in groups} == {30}


def _alarms(template: Any) -> dict[str, dict[str, Any]]:
    found = template.find_resources("AWS::CloudWatch::Alarm")
    return {
        name.removeprefix("Alarms")[:-8]: a["Properties"]
        for name, a in found.items()
        if name.startswith("Alarms")  # not the worker scaling policy's own alarms
    }


def _metric_names(alarm: dict[str, Any]) -> set[str]:
    if "MetricName" in alarm:
        return {alarm["MetricName"]}
    return {m["MetricStat"]["Metric"]["MetricName"] for m in alarm["Metrics"] if "MetricStat" in m}


def test_each_alarm_watches_its_metric_and_notifies_the_topic(template: Any) -> None:
    alarms = _alarms(template)
    assert set(alarms) == {"Http5xxRate", "JobQueueAge", "JobDeadLetters", "DynamoDBThrottles"}
    topic = {"Ref": _logical(template, "AWS::SNS::Topic")}
    assert all(a["AlarmActions"] == [topic] for a in alarms.values())
    assert _metric_names(alarms["Http5xxRate"]) == {
        "HTTPCode_Target_5XX_Count",
        "HTTPCode_ELB_5XX_Count",
        "RequestCount",
    }
    assert alarms["JobQueueAge"]["Namespace"] == "Keyvex/Jobs"
    assert _metric_names(alarms["JobQueueAge"]) == {"JobsOldestDueAgeSeconds"}
    assert alarms["JobQueueAge"]["TreatMissingData"] == "breaching"  # a stopped measurer
    assert _metric_names(alarms["JobDeadLetters"]) == {"JobsDeadLetter"}
    assert alarms["JobDeadLetters"]["Threshold"] == 0
    assert _metric_names(alarms["DynamoDBThrottles"]) == {
        "ReadThrottleEvents",
        "WriteThrottleEvents",
    }
    throttled = {
        d["Value"]
        for m in alarms["DynamoDBThrottles"]["Metrics"]
        if "MetricStat" in m
        for d in m["MetricStat"]["Metric"]["Dimensions"]
        if d["Name"] == "GlobalSecondaryIndexName"
    }
    assert throttled == set(INDEXES)


def test_the_job_metrics_function_runs_every_minute_with_read_only_index_access(
    template: Any,
) -> None:
    function = _one(template, "AWS::Lambda::Function")
    assert function["Handler"] == "handler.handler"
    assert function["Environment"]["Variables"]["KEYVEX_DYNAMODB_TABLE"] == {
        "Ref": _logical(template, "AWS::DynamoDB::Table")
    }
    rule = _one(template, "AWS::Events::Rule")
    assert rule["ScheduleExpression"] == "rate(1 minute)"
    statements = _policy_of_role(template, function["Role"]["Fn::GetAtt"][0])
    assert [s["Action"] for s in statements] == ["dynamodb:Query", "cloudwatch:PutMetricData"]
    assert statements[0]["Resource"]["Fn::Join"][1][1] == "/index/GSI2"
    assert statements[1]["Condition"] == {"StringEquals": {"cloudwatch:namespace": "Keyvex/Jobs"}}


def _policy_of_role(template: Any, role: str) -> list[dict[str, Any]]:
    policies = template.find_resources("AWS::IAM::Policy").values()
    (policy,) = [p for p in policies if p["Properties"]["Roles"] == [{"Ref": role}]]
    return policy["Properties"]["PolicyDocument"]["Statement"]  # type: ignore[no-any-return]


def test_the_task_role_may_use_only_the_table_its_indexes_and_the_bucket(template: Any) -> None:
    (task_role,) = {
        t["Properties"]["TaskRoleArn"]["Fn::GetAtt"][0]
        for t in template.find_resources("AWS::ECS::TaskDefinition").values()
    }
    statements = _policy_of_role(template, task_role)
    table = _logical(template, "AWS::DynamoDB::Table")
    bucket = _logical(template, "AWS::S3::Bucket")
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert "*" not in json.dumps(statement["Action"])
        assert statement["Resource"] != "*"
    dynamo, objects, listing = statements
    assert all(a.startswith("dynamodb:") for a in dynamo["Action"])
    assert not {"dynamodb:CreateTable", "dynamodb:DeleteTable"} & set(dynamo["Action"])
    assert dynamo["Resource"] == [
        {"Fn::GetAtt": [table, "Arn"]},
        {"Fn::Join": ["", [{"Fn::GetAtt": [table, "Arn"]}, "/index/*"]]},
    ]
    assert set(objects["Action"]) == {
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
    }
    assert objects["Resource"] == {"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/*"]]}
    assert listing == {
        "Action": "s3:ListBucket",
        "Effect": "Allow",
        "Resource": {"Fn::GetAtt": [bucket, "Arn"]},
    }


def test_the_template_passes_cloudformation_validation(synthesised: Any) -> None:
    _, outdir = synthesised
    report = Path(outdir) / "validation-report.json"
    assert report.exists()  # CDK's built-in CloudFormation schema validation ran
    violations = [
        v
        for plugin in json.loads(report.read_text())["pluginReports"]
        for v in plugin["violations"]
    ]
    assert violations == []


def test_provided_keys_must_include_the_encryption_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="KEYVEX_ENCRYPTION_KEY"):
        synthesise(tmp_path, provided_keys=("KEYVEX_OPENAI_API_KEY",))
