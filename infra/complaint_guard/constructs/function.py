"""A Lambda function the way every complaint-guard function is built: Python 3.13 on arm64, the two
layers, Powertools settings, X-Ray, its own log group with retention and its own least-privilege role."""

from __future__ import annotations

from dataclasses import dataclass, replace

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from ..nag import accept
from ..settings import ROOT

RUNTIME = lambda_.Runtime.PYTHON_3_13
DEFAULT_TIMEOUT = Duration.seconds(15)
# Powertools puts every metric in this namespace with the dimension service=SERVICE_NAME; the
# dashboard and alarms (constructs/monitoring.py) read them by the same two names.
SERVICE_NAME = "complaint-guard"
METRICS_NAMESPACE = "ComplaintGuard"


@dataclass(frozen=True)
class FunctionDefaults:
    """What every function of the stack shares: the layers, the environment (each function's settings
    in complaints/composition/settings.py read it), how long its logs are kept, whether they stay
    when the stack is deleted and the stack's customer-managed key, which encrypts its logs and its
    environment variables."""

    layers: list[lambda_.ILayerVersion]
    environment: dict[str, str]
    log_retention: logs.RetentionDays
    removal: RemovalPolicy
    key: kms.IKey

    def with_environment(self, **extra: str) -> FunctionDefaults:
        """The same, with variables only this function needs."""
        return replace(self, environment={**self.environment, **extra})


class ServiceFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        entry: str,
        handler: str,
        defaults: FunctionDefaults,
        memory_mb: int = 512,
        timeout: Duration = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=defaults.log_retention,
            removal_policy=defaults.removal,
            encryption_key=defaults.key,
        )
        # Our own role instead of AWSLambdaBasicExecutionRole: it may write to this log group only.
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            )
        )
        # Lambda decrypts the environment with the function's role at start.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=["kms:Decrypt"], resources=[defaults.key.key_arn])
        )
        self.function = lambda_.Function(
            self,
            "Function",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            code=lambda_.Code.from_asset(str(ROOT / entry), exclude=["__pycache__", "*.pyc"]),
            handler=handler,
            layers=defaults.layers,
            memory_size=memory_mb,
            timeout=timeout,
            role=self.role,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            tracing=lambda_.Tracing.ACTIVE,
            environment_encryption=defaults.key,
            environment={
                "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
                "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                "POWERTOOLS_LOG_LEVEL": "INFO",
                **defaults.environment,
            },
        )
        stack = Stack.of(self)
        accept(
            self.role,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions",
        )
        accept(
            self.function,
            "AwsSolutions-L1",
            f"{RUNTIME.name} on arm64 is the runtime this code is built and tested for "
            f"({stack.stack_name}); moving runtimes is a tested change of its own",
        )
