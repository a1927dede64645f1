"""Data: the complaints table, the trail table (the audit trail, append-only), the idempotency table
and the key that encrypts them."""

from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from complaints.adapters.dynamodb.table import (
    ACCOUNTABILITY_INDEX,
    FOLLOW_UP_INDEX,
    INDEXES,
    MONTH_INDEX,
    TABLE_INDEXES,
    WATCH_INDEX,
)

from .buckets import data_key

TTL_ATTRIBUTE = "expiresAt"
# What an erasure may rewrite in an event: the fields that may hold personal values.
ERASABLE = ("changes", "data")


class Data(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, retain: bool) -> None:
        super().__init__(scope, construct_id)
        removal = RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY
        self.key = data_key(self, "encrypts complaint data (customer PII) at rest", retain=retain)
        # The stack's log groups are on this key too (they can hold what a request carried): CloudWatch
        # Logs of this region may use it, only for log groups of this account and region.
        stack = Stack.of(self)
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=[
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                resources=["*"],  # in a key policy, * is this key
                conditions={
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": (
                            f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:*"
                        )
                    }
                },
            )
        )
        # Every table the same way: on demand, our key, point-in-time recovery, protected, with TTL.
        protected = {
            "billing_mode": dynamodb.BillingMode.PAY_PER_REQUEST,
            "encryption": dynamodb.TableEncryption.CUSTOMER_MANAGED,
            "encryption_key": self.key,
            "point_in_time_recovery_specification": dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            "deletion_protection": retain,
            "removal_policy": removal,
        }
        self.table = dynamodb.Table(
            self,
            "Complaints",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.STRING),
            time_to_live_attribute=TTL_ATTRIBUTE,
            **protected,  # type: ignore[arg-type]
        )
        # The audit trail: one item per event, written in the complaint's own transaction and never
        # changed (complaints/trail/chain.py). No TTL, so no attribute can make an event expire; the
        # resource policy (`_append_only`) denies every principal the calls that change or remove an
        # item. Its stream is the outbox: every new event goes to the publisher and the archiver.
        self.trail_table = dynamodb.Table(
            self,
            "Trail",
            partition_key=dynamodb.Attribute(name="complaintId", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="version", type=dynamodb.AttributeType.NUMBER),
            stream=dynamodb.StreamViewType.NEW_IMAGE,
            **protected,  # type: ignore[arg-type]
        )
        self._erasers: list[iam.IRole] = []
        for index in TABLE_INDEXES:
            self.table.add_global_secondary_index(
                index_name=index.name,
                partition_key=dynamodb.Attribute(
                    name=index.partition_key, type=dynamodb.AttributeType.STRING
                ),
                sort_key=dynamodb.Attribute(name=index.sort_key, type=dynamodb.AttributeType.STRING),
                projection_type=(
                    dynamodb.ProjectionType.ALL
                    if index.projected is None
                    else dynamodb.ProjectionType.INCLUDE
                    if index.projected
                    else dynamodb.ProjectionType.KEYS_ONLY
                ),
                non_key_attributes=list(index.projected) if index.projected else None,
            )
        self.idempotency_table = dynamodb.Table(
            self,
            "Idempotency",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            # Powertools idempotency writes its records' expiry here.
            time_to_live_attribute="expiration",
            **protected,  # type: ignore[arg-type]
        )

    def append_only(self) -> None:
        """The trail table's resource policy: no principal updates, deletes or batch-writes its items
        (a batch write can overwrite or delete) or turns TTL on; only an eraser's role may update, and
        its own policy limits that to the event's stored content (`allow_erasure`). Called once every
        eraser is known."""
        erasers = [role.role_arn for role in self._erasers]
        self.trail_table.add_to_resource_policy(
            iam.PolicyStatement(
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=["dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:UpdateTimeToLive"],
                resources=["*"],  # in a table's resource policy, * is this table
            )
        )
        self.trail_table.add_to_resource_policy(
            iam.PolicyStatement(
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=["dynamodb:UpdateItem"],
                resources=["*"],
                conditions={"ArnNotEquals": {"aws:PrincipalArn": erasers}} if erasers else None,
            )
        )

    def allow_trail(self, role: iam.IRole, *actions: str) -> None:
        """`actions` on the trail table: PutItem to append (always on the condition that the event is
        new), GetItem and Query to read. Never Update or Delete: the table's policy denies them."""
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(actions), resources=[self.trail_table.table_arn])
        )

    def allow_erasure(self, role: iam.IRole) -> None:
        """A customer's erasure: update the events of their complaints, and only the attributes that
        hold event content (never the chain fields, which stay as written)."""
        self._erasers.append(role)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["dynamodb:UpdateItem"],
                resources=[self.trail_table.table_arn],
                conditions={
                    "ForAllValues:StringEquals": {
                        "dynamodb:Attributes": ["complaintId", "version", *ERASABLE]
                    }
                },
            )
        )

    def allow_link_keys(
        self, role: iam.IRole, parameter_name: str, *key_sets: str, legacy: bool = False
    ) -> None:
        """Read the keys that sign links: each set (`tracking`, `reports`) is the current and previous
        key under `<parameter_name>/<set>/`, read in one GetParametersByPath (adapters/parameters.py);
        `legacy` is the key of links sent before keys had ids, the SecureString `<parameter_name>`
        itself. CloudFormation cannot create a SecureString, so operations put them (see the README);
        the stack names them and grants them."""
        stack = Stack.of(self)
        prefix = f"arn:{stack.partition}:ssm:{stack.region}:{stack.account}:parameter{parameter_name}"
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["ssm:GetParametersByPath"], resources=[f"{prefix}/{key_set}" for key_set in key_sets]
            )
        )
        if legacy:
            role.add_to_principal_policy(
                iam.PolicyStatement(actions=["ssm:GetParameter"], resources=[prefix])
            )

    def allow_forgetting_contacts(self, role: iam.IRole) -> None:
        """An erasure deletes the items of the customer's phone and e-mail (`CONTACT#…`), and nothing
        else: no role deletes a complaint."""
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["dynamodb:DeleteItem"],
                resources=[self.table.table_arn],
                conditions={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["CONTACT#*"]}},
            )
        )

    def allow_items(self, role: iam.IRole, *actions: str) -> None:
        """`actions` (named one by one: least privilege) on the complaints table itself, not its indexes."""
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(actions), resources=[self.table.table_arn])
        )

    def key_use(self) -> iam.PolicyStatement:
        """What a reader or writer of the tables needs of their key, and nothing more."""
        return iam.PolicyStatement(
            actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources=[self.key.key_arn]
        )

    def index_arn(self, name: str) -> str:
        if name not in {index.name for index in TABLE_INDEXES}:
            raise ValueError(f"the complaints table has no index {name}")
        return f"{self.table.table_arn}/index/{name}"

    def list_index_arns(self) -> list[str]:
        """The indexes behind the list endpoint (not the sweep's or the accountability view's)."""
        return [self.index_arn(name) for _, name, _ in INDEXES] + [self.index_arn(MONTH_INDEX)]

    def month_index_arn(self) -> str:
        """A period's complaints, month by month (the KPIs and the quarterly report)."""
        return self.index_arn(MONTH_INDEX)

    def watch_index_arn(self) -> str:
        """The sweep's sparse index of open complaints, by when to look at them next."""
        return self.index_arn(WATCH_INDEX)

    def accountability_index_arn(self) -> str:
        """Open accountability records, oldest first, for supervisors to review."""
        return self.index_arn(ACCOUNTABILITY_INDEX)

    def follow_up_index_arn(self) -> str:
        """The follow-ups (回访) to call, by status, soonest due first (GET /v1/follow-ups)."""
        return self.index_arn(FOLLOW_UP_INDEX)
