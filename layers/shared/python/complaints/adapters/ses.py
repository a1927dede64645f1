"""Customer e-mail through Amazon SES (API v2 SendEmail): simple content, UTF-8 subject, plain-text and
HTML bodies, from the deployment's verified sender address.

Errors become domain errors by their code, never by message text: throttling and SES being
unavailable → `DeliveryThrottled` (a ServiceUnavailable: retry later), anything else →
`DeliveryFailed`. Neither carries the recipient or the content, and the AWS error is not chained (its
text may name the address).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from complaints.adapters.aws import error_code, is_busy
from complaints.notifications.ports import DeliveryFailed, DeliveryThrottled

if TYPE_CHECKING:
    from mypy_boto3_sesv2.client import SESV2Client
    from mypy_boto3_sesv2.type_defs import SendEmailRequestTypeDef

CHARSET = "UTF-8"


def delivery_error(service: str, error: ClientError) -> Exception:
    """The domain error of an AWS error, by its code (busy → `DeliveryThrottled`, see `is_busy`); the
    message names the code and the request."""
    metadata = error.response.get("ResponseMetadata", {})
    code = error_code(error) or "Unknown"
    status, request = metadata.get("HTTPStatusCode", "?"), metadata.get("RequestId", "?")
    text = f"{service} refused the message: {code} (HTTP {status}, request {request})"
    if is_busy(error):
        return DeliveryThrottled(text, code)
    return DeliveryFailed(text, code)


def transport_error(service: str, error: BotoCoreError) -> Exception:
    """No answer from the service (connection, timeout): retry later. A request the client itself
    refused (invalid parameters) is a failure: its text, which may hold the parameters, is not kept."""
    code = type(error).__name__
    if isinstance(error, ParamValidationError):
        return DeliveryFailed(f"{service} request was invalid ({code})", code)
    return DeliveryThrottled(f"{service} could not be reached ({code}); retry", code)


class SesEmailSender:
    def __init__(self, sender: str, client: SESV2Client, configuration_set: str | None = None) -> None:
        self._sender = sender
        self._client = client
        self._configuration_set = configuration_set

    def send(self, to: str, subject: str, text: str, html: str) -> str:
        request: SendEmailRequestTypeDef = {
            "FromEmailAddress": self._sender,
            "Destination": {"ToAddresses": [to]},
            "Content": {
                "Simple": {
                    "Subject": {"Data": subject, "Charset": CHARSET},
                    "Body": {
                        "Text": {"Data": text, "Charset": CHARSET},
                        "Html": {"Data": html, "Charset": CHARSET},
                    },
                }
            },
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        try:
            response = self._client.send_email(**request)
        except ClientError as error:
            raise delivery_error("SES", error) from None
        except BotoCoreError as error:
            raise transport_error("SES", error) from None
        return str(response["MessageId"])


class SesReportMailer:
    """One message per address of the management distribution list."""

    def __init__(self, sender: SesEmailSender) -> None:
        self._sender = sender

    def send(self, to: list[str], subject: str, text: str, html: str) -> None:
        for address in to:
            self._sender.send(address, subject, text, html)
