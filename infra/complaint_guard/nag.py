"""cdk-nag findings we accept, each with its reason, scoped to one construct."""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
from constructs import IConstruct


def accept(construct: IConstruct, rule: str, reason: str) -> None:
    Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))


def accept_wildcard_resource(construct: IConstruct, resource: str, reason: str) -> None:
    """Accept AwsSolutions-IAM5 for one resource pattern of a role's policy, named exactly as cdk-nag
    names the finding (`<AWS::Region>`, `<LogicalId.Attr>` …) whether or not the stack's account and
    region are known at synthesis."""
    accept(construct, f"AwsSolutions-IAM5[Resource::{nag_text(construct, resource)}]", reason)


def nag_text(scope: IConstruct, value: str) -> str:
    """A resource string as cdk-nag flattens it into a finding id."""
    return _flatten(Stack.of(scope).resolve(value))


def _flatten(node: Any) -> str:
    if isinstance(node, str):
        return node.replace("${", "<").replace("}", ">")
    if isinstance(node, dict) and len(node) == 1:
        ((function, argument),) = node.items()
        if function == "Fn::Join":
            delimiter, items = argument
            return str(delimiter).join(_flatten(item) for item in items)
        if function == "Ref":
            return f"<{_flatten(argument)}>"
        if function == "Fn::GetAtt":
            resource, attribute = argument
            return f"<{_flatten(resource)}.{_flatten(attribute)}>"
    raise ValueError(f"cannot name a cdk-nag finding for {node!r}")
