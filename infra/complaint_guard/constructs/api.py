"""Api: the REST API, its Cognito authorizer, and the Lambda function that serves it."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from ..nag import accept
from ..routes import PUBLIC_ROUTES, ROUTES, Route
from .data import Data
from .events import Events
from .function import FunctionDefaults, ServiceFunction
from .sla_workflow import SlaWorkflow

# API Gateway's own errors (bad token, missing scope, throttling …) in the contract's error shape.
_GATEWAY_ERRORS = {
    "Unauthorized": (apigw.ResponseType.UNAUTHORIZED, "401", "unauthorized"),
    "AccessDenied": (apigw.ResponseType.ACCESS_DENIED, "403", "forbidden"),
    # API Gateway answers an unknown path with "Missing Authentication Token"; it is a 404.
    "UnknownRoute": (apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, "404", "not_found"),
    "BadBody": (apigw.ResponseType.BAD_REQUEST_BODY, "400", "validation_error"),
    "BadParameters": (apigw.ResponseType.BAD_REQUEST_PARAMETERS, "400", "validation_error"),
    "Throttled": (apigw.ResponseType.THROTTLED, "429", "throttled"),
    "Default4xx": (apigw.ResponseType.DEFAULT_4_XX, None, "bad_request"),
    "Default5xx": (apigw.ResponseType.DEFAULT_5_XX, None, "internal_error"),
}


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data: Data,
        events: Events,
        workflow: SlaWorkflow,
        user_pool: cognito.IUserPool,
        defaults: FunctionDefaults,
        throttle_rate: int,
        throttle_burst: int,
    ) -> None:
        super().__init__(scope, construct_id)
        self.function = ServiceFunction(
            self,
            "Handler",
            entry="functions/api",
            handler="app.handler",
            defaults=defaults,
        )
        role = self.function.role
        data.allow_link_keys(
            role, defaults.environment["TRACKING_SECRET_PARAMETER"], "tracking", "reports", legacy=True
        )
        # Explicit actions on explicit resources: the table, its list indexes and the accountability
        # index (never the sweep's byWatch, never a Scan), the idempotency table, the key.
        data.allow_items(
            role,
            "dynamodb:GetItem",
            # a list page's complaints, read by the keys their index returned
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:ConditionCheckItem",
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["dynamodb:Query"],
                resources=[
                    *data.list_index_arns(),
                    data.accountability_index_arn(),
                    data.follow_up_index_arn(),
                ],
            )
        )
        # The audit trail: appended with each change, read for the trail and its integrity check;
        # a customer's erasure pseudonymises the content of their complaints' events.
        data.allow_trail(role, "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query")
        data.allow_erasure(role)
        data.allow_forgetting_contacts(role)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                ],
                resources=[data.idempotency_table.table_arn],
            )
        )
        role.add_to_principal_policy(data.key_use())
        # The bus for the quarterly reports' announcement (complaints/composition/parts.py); the
        # complaints' own events reach it through the trail (the publisher). And the complaint's SLA
        # tracker (started at intake, restarted on resume).
        role.add_to_principal_policy(events.publish())
        workflow.allow_tracking(role)

        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=defaults.log_retention,
            removal_policy=defaults.removal,
            encryption_key=defaults.key,
        )
        self.rest_api = apigw.RestApi(
            self,
            "RestApi",
            rest_api_name="complaint-guard",
            description="complaint-guard v1 API for channel apps and the staff console",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=defaults.removal,
            deploy_options=apigw.StageOptions(
                stage_name="prod",
                tracing_enabled=True,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # request bodies carry customer PII
                metrics_enabled=True,
                throttling_rate_limit=throttle_rate,
                throttling_burst_limit=throttle_burst,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
            ),
        )
        for name, (response_type, status, code) in _GATEWAY_ERRORS.items():
            self.rest_api.add_gateway_response(
                f"Gateway{name}",
                type=response_type,
                status_code=status,
                templates={
                    "application/json": (
                        f'{{"error":"{code}","message":$context.error.messageString,"details":[]}}'
                    )
                },
            )
        cloud_watch_role = self.rest_api.node.find_child("CloudWatchRole")
        accept(
            cloud_watch_role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
            "API Gateway's account-level logging role; the managed policy is the one AWS documents for it",
        )
        self.validator = self.rest_api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True
        )
        self.json_object = self.rest_api.add_model(
            "JsonObject",
            content_type="application/json",
            schema=apigw.JsonSchema(
                schema=apigw.JsonSchemaVersion.DRAFT4,
                title="JsonObject",
                type=apigw.JsonSchemaType.OBJECT,
                description="a JSON object; the handler validates its fields and names the wrong ones",
            ),
        )
        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            self, "Authorizer", cognito_user_pools=[user_pool], results_cache_ttl=Duration.minutes(5)
        )
        # One invoke permission for the whole API instead of two per method (the function's resource
        # policy has a size limit).
        integration = apigw.LambdaIntegration(
            self.function.function, allow_test_invoke=False, scope_permission_to_method=False
        )
        for route in ROUTES:
            self._add(route, integration, authorized=True)
        for route in PUBLIC_ROUTES:
            method = self._add(route, integration, authorized=False)
            accept(method, "AwsSolutions-APIG4", route.why_public)
            accept(method, "AwsSolutions-COG4", route.why_public)

    def _add(self, route: Route, integration: apigw.Integration, *, authorized: bool) -> apigw.Method:
        resource = self.rest_api.root.resource_for_path(route.path)
        with_body = route.method in {"POST", "PATCH", "PUT"}
        return resource.add_method(
            route.method,
            integration,
            authorizer=self.authorizer if authorized else None,
            authorization_type=apigw.AuthorizationType.COGNITO
            if authorized
            else apigw.AuthorizationType.NONE,
            authorization_scopes=[scope.value for scope in route.scopes] if authorized else None,
            request_validator=self.validator,
            request_models={"application/json": self.json_object} if with_body else None,
        )
