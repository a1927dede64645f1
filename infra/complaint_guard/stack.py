"""The complaint-guard stack: one construct per concern."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, RemovalPolicy, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from .constructs.api import Api
from .constructs.attachments import Attachments
from .constructs.console import Console
from .constructs.data import Data
from .constructs.events import Events
from .constructs.firewall import Firewall
from .constructs.function import FunctionDefaults
from .constructs.identity import Identity
from .constructs.layers import Layers
from .constructs.monitoring import Monitoring, WatchedQueue
from .constructs.notifications import Notifications
from .constructs.publisher import Publisher
from .constructs.reports import Reports
from .constructs.schedules import Schedules
from .constructs.sla_sweep import SlaSweep
from .constructs.sla_workflow import SlaWorkflow
from .constructs.trail_archive import TrailArchive
from .constructs.triage import Triage
from .settings import StackSettings


class ComplaintGuardStack(Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, settings: StackSettings, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        retention = _retention(settings.log_retention_days)
        removal = RemovalPolicy.RETAIN if settings.retain_data else RemovalPolicy.DESTROY
        self.data = Data(self, "Data", retain=settings.retain_data)
        self.identity = Identity(
            self,
            "Identity",
            channel_apps=settings.channel_apps,
            staff_callback_urls=settings.staff_callback_urls,
            domain_prefix=settings.cognito_domain_prefix,
            retain=settings.retain_data,
        )
        self.layers = Layers(self, "Layers")
        layers: list[lambda_.ILayerVersion] = [self.layers.deps, self.layers.shared]
        self.events = Events(self, "Events", archive_days=settings.event_archive_days, key=self.data.key)
        self.sla_workflow = SlaWorkflow(
            self,
            "SlaWorkflow",
            data=self.data,
            log_retention=retention,
            removal=removal,
        )
        # What every function is told about the resources it uses (its settings in
        # complaints/composition/settings.py read it).
        environment = {
            "TABLE_NAME": self.data.table.table_name,
            "SLA_POLICY": settings.sla_policy,
            "SEED_POLICY": settings.seed_policy.model_dump_json(),
            "TRIAGE": settings.triage.model_dump_json(exclude_defaults=True),
            "SLA_TRACKER_ARN": self.sla_workflow.state_machine.state_machine_arn,
            "EVENT_BUS_NAME": self.events.bus_name,
            "TRACKING_SECRET_PARAMETER": settings.tracking_secret_parameter,
            "PUBLIC_BASE_URL": settings.public_base_url,
            "BANK_NAME": settings.bank_name,
        }
        self.reports = Reports(
            self,
            "Reports",
            retain=settings.retain_data,
            queue_key=self.data.key,
            keep_days=settings.retention.report_days,
        )
        # Only the API and the builder are told about reports; only the API queues builds.
        report_environment = self.reports.environment(
            timezone=settings.report_timezone,
            recipients=settings.report_recipients,
            link_days=settings.report_link_days,
        )
        defaults = FunctionDefaults(layers, environment, retention, removal, self.data.key)
        # Evidence attached to complaints, scanned for malware; browsers upload from the tracking page's
        # origin and (below) the staff console's.
        self.attachments = Attachments(
            self,
            "Attachments",
            data=self.data,
            access_logs=self.reports.access_logs,
            retain=settings.retain_data,
            upload_origins=(settings.public_base_url, *settings.staff_callback_urls),
            keep_days=settings.retention.attachment_days,
        )
        self.api = Api(
            self,
            "Api",
            data=self.data,
            events=self.events,
            workflow=self.sla_workflow,
            user_pool=self.identity.user_pool,
            defaults=defaults.with_environment(
                TRAIL_TABLE_NAME=self.data.trail_table.table_name,
                RETENTION_COMPLAINT_DAYS=str(settings.retention.complaint_days),
                IDEMPOTENCY_TABLE_NAME=self.data.idempotency_table.table_name,
                REPORT_QUEUE_URL=self.reports.queue.queue_url,
                **report_environment,
                **self.attachments.environment(),
            ),
            throttle_rate=settings.api_throttle_rate,
            throttle_burst=settings.api_throttle_burst,
        )
        self.sla_sweep = SlaSweep(
            self,
            "SlaSweep",
            data=self.data,
            workflow=self.sla_workflow,
            defaults=defaults.with_environment(
                TRAIL_TABLE_NAME=self.data.trail_table.table_name,
                RETENTION_COMPLAINT_DAYS=str(settings.retention.complaint_days),
            ),
        )
        self.publisher = Publisher(
            self,
            "Publisher",
            data=self.data,
            events=self.events,
            defaults=defaults,
        )
        self.trail_archive = TrailArchive(
            self,
            "TrailArchive",
            data=self.data,
            defaults=defaults,
            retention_days=settings.retention.trail_days,
            access_logs=self.reports.access_logs,
            retain=settings.retain_data,
        )
        self.notifications = Notifications(
            self,
            "Notifications",
            data=self.data,
            events=self.events,
            defaults=defaults.with_environment(
                RETENTION_NOTIFICATION_LOG_DAYS=str(settings.retention.notification_log_days)
            ),
            sender_email=settings.sender_email,
        )
        self.triage = Triage(
            self,
            "Triage",
            data=self.data,
            events=self.events,
            workflow=self.sla_workflow,
            defaults=defaults.with_environment(
                TRAIL_TABLE_NAME=self.data.trail_table.table_name,
                RETENTION_COMPLAINT_DAYS=str(settings.retention.complaint_days),
            ),
        )
        self.reports.allow_requests(self.api.function.role)
        self.attachments.allow_transfers(self.api.function.role)
        scan_recorder = self.attachments.add_scan_recorder(
            defaults=defaults.with_environment(
                TRAIL_TABLE_NAME=self.data.trail_table.table_name, **self.attachments.environment()
            )
        )
        report_builder = self.reports.add_builder(
            data=self.data,
            events=self.events,
            defaults=defaults.with_environment(**report_environment),
            sender_email=settings.sender_email,
        )
        self.schedules = Schedules(
            self,
            "Schedules",
            sla_sweep=self.sla_sweep.function.function,
            report_builder=report_builder.function,
            report_timezone=settings.report_timezone,
        )
        # Every role that may rewrite the trail's content is known: the trail table's policy names them.
        self.data.append_only()
        # With the console's web ACL at the edge (complaint_guard/edge.py), the stage leaves the
        # console's requests, marked by a secret origin header, to the edge's per-viewer rate rule.
        self.firewall = Firewall(
            self,
            "Firewall",
            stage_arn=self.api.rest_api.deployment_stage.stage_arn,
            requests_per_5_minutes=settings.waf_requests_per_5_minutes,
            console_counted_at_edge=settings.console_web_acl_arn is not None,
            key=self.data.key,
        )
        # The staff console: its files behind CloudFront, which also routes /v1/* to the API stage; its
        # app client signs staff in through the hosted UI and back to it.
        self.console = Console(
            self,
            "Console",
            rest_api=self.api.rest_api,
            auth_domain=self.identity.domain.base_url(),
            upload_endpoints=self.attachments.endpoints,
            access_logs=self.reports.access_logs,
            retain=settings.retain_data,
            web_acl_arn=settings.console_web_acl_arn,
            origin_header=self.firewall.console_origin_header,
        )
        console_client = self.identity.add_console_client(console_url=self.console.url)
        self.attachments.allow_uploads_from(self.console.origin)
        # Everything that runs is watched: a new function or queue is one more entry here.
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            functions={
                "api": self.api.function.function,
                "sla-sweep": self.sla_sweep.function.function,
                "publisher": self.publisher.function.function,
                "archiver": self.trail_archive.function.function,
                "notifier": self.notifications.function.function,
                "report": report_builder.function,
                "malware-scan": scan_recorder.function,
                "triage": self.triage.function.function,
            },
            queues=[
                WatchedQueue("notifications", self.notifications.dead_letters, self.notifications.queue),
                WatchedQueue("publisher", self.publisher.dead_letters),
                WatchedQueue("archiver", self.trail_archive.dead_letters),
                WatchedQueue("reports", self.reports.dead_letters, self.reports.queue),
                WatchedQueue("malware-scan", self.attachments.dead_letters),
                WatchedQueue("triage", self.triage.dead_letters, self.triage.queue),
            ],
            state_machine=self.sla_workflow.state_machine,
            rest_api=self.api.rest_api,
            ops_email=settings.ops_email,
            unassigned_alarm_minutes=settings.unassigned_alarm_minutes,
        )
        CfnOutput(self, "ApiUrl", value=self.api.rest_api.url)
        CfnOutput(self, "TableName", value=self.data.table.table_name)
        CfnOutput(self, "TrailTableName", value=self.data.trail_table.table_name)
        CfnOutput(self, "TrailArchiveBucket", value=self.trail_archive.bucket.bucket_name)
        CfnOutput(self, "AttachmentBucket", value=self.attachments.bucket.bucket_name)
        CfnOutput(self, "UserPoolId", value=self.identity.user_pool.user_pool_id)
        CfnOutput(self, "TokenUrl", value=f"{self.identity.domain.base_url()}/oauth2/token")
        # What scripts/publish_console.py reads to put the console's files and config.json in place (it
        # prints the console's address; an output naming the distribution's domain would stop the local
        # emulator, which creates no distribution).
        CfnOutput(self, "ConsoleBucketName", value=self.console.bucket.bucket_name)
        CfnOutput(self, "ConsoleDistributionId", value=self.console.distribution.distribution_id)
        CfnOutput(self, "ConsoleClientId", value=console_client.user_pool_client_id)
        CfnOutput(self, "CognitoDomainUrl", value=self.identity.domain.base_url())
        CfnOutput(self, "SlaTrackerArn", value=self.sla_workflow.state_machine.state_machine_arn)
        CfnOutput(self, "EventBusName", value=self.events.bus_name)
        CfnOutput(self, "OpsAlarmTopicArn", value=self.monitoring.topic.topic_arn)
        CfnOutput(self, "DashboardName", value=self.monitoring.dashboard.dashboard_name)


_RETENTION = {
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    731: logs.RetentionDays.TWO_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}


def _retention(days: int) -> logs.RetentionDays:
    if days not in _RETENTION:
        raise ValueError(f"log_retention_days must be one of {sorted(_RETENTION)}, not {days}")
    return _RETENTION[days]
