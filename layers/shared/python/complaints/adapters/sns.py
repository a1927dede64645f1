"""SMS to customers and messages to staff through Amazon SNS.

- SMS: `Publish` with `PhoneNumber` (E.164) and the `Transactional` SMS type (delivery before cost:
  these messages answer a complaint), optionally a sender ID where the destination allows one.
- Staff: `Publish` to one topic per audience (supervisor, manager, compliance, at_risk), named by the
  deployment's settings, with the message attributes subscription filter policies match on (a team
  subscribes to the at-risk topic with a filter on `team`).

Errors become domain errors by their code (throttling → `DeliveryThrottled`, a ServiceUnavailable),
never by message text, and never carry the phone number or the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from complaints.adapters.ses import delivery_error, transport_error
from complaints.notifications.messages import LEVEL_TOPICS
from complaints.notifications.ports import DeliveryFailed

if TYPE_CHECKING:
    from mypy_boto3_sns.client import SNSClient
    from mypy_boto3_sns.type_defs import MessageAttributeValueTypeDef, PublishInputTypeDef

SMS_TYPE = "AWS.SNS.SMS.SMSType"
SENDER_ID = "AWS.SNS.SMS.SenderID"


def _string(value: str) -> MessageAttributeValueTypeDef:
    return {"DataType": "String", "StringValue": value}


def _publish(client: SNSClient, request: PublishInputTypeDef) -> str:
    try:
        response = client.publish(**request)
    except ClientError as error:
        raise delivery_error("SNS", error) from None
    except BotoCoreError as error:
        raise transport_error("SNS", error) from None
    return str(response["MessageId"])


class SnsSmsSender:
    def __init__(self, client: SNSClient, sender_id: str | None = None) -> None:
        self._client = client
        self._sender_id = sender_id

    def send(self, phone: str, text: str) -> str:
        attributes = {SMS_TYPE: _string("Transactional")}
        if self._sender_id:
            attributes[SENDER_ID] = _string(self._sender_id)
        return _publish(
            self._client, {"PhoneNumber": phone, "Message": text, "MessageAttributes": attributes}
        )


class SnsStaffNotifier:
    """`topics` maps each audience (`supervisor`, `manager`, `compliance`, `at_risk`) to its topic
    ARN; an escalation level (1, 2, 3) names the audience of that level."""

    def __init__(self, topics: Mapping[str, str], client: SNSClient) -> None:
        self._topics = dict(topics)
        self._client = client

    def publish(self, level_or_kind: str, subject: str, text: str, attributes: Mapping[str, str]) -> str:
        audience = level_or_kind
        if level_or_kind.isdigit() and int(level_or_kind) in LEVEL_TOPICS:
            audience = LEVEL_TOPICS[int(level_or_kind)].value
        arn = self._topics.get(audience)
        if arn is None:
            raise DeliveryFailed(f"no staff topic is configured for {audience}", "TopicNotConfigured")
        return _publish(
            self._client,
            {
                "TopicArn": arn,
                "Subject": subject,
                "Message": text,
                "MessageAttributes": {name: _string(value) for name, value in attributes.items() if value},
            },
        )
