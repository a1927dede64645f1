"""Deploy the synthesized cloud assembly (cdk.out) into the emulator through its CloudFormation,
the way `cdk deploy` does in an account: bootstrap bucket and version, assets uploaded, stack created."""

from __future__ import annotations

import io
import json
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from .emulator import ACCOUNT_ID

BOOTSTRAP_VERSION_PARAMETER = "/cdk-bootstrap/hnb659fds/version"
# Attributes of resources the emulator does not create, which other resources read: what stands in for
# them here. The console's distribution: the runtime serves the console itself, and the emulator's S3
# answers cross-origin uploads from any origin, so the attachments bucket's CORS rule for the console
# only needs a value.
STAND_INS: dict[tuple[str, str], str] = {("AWS::CloudFront::Distribution", "DomainName"): "127.0.0.1"}


@dataclass(frozen=True)
class DeployedStack:
    name: str
    template: dict[str, Any]
    # logical id → physical id, as CloudFormation created them
    resources: dict[str, str]
    outputs: dict[str, str]


def _zip_directory(directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, path.relative_to(directory).as_posix())
    return buffer.getvalue()


def with_stand_ins(template: dict[str, Any]) -> dict[str, Any]:
    """`template` with every `Fn::GetAtt` of a STAND_INS attribute replaced by its stand-in value."""
    types = {logical_id: resource["Type"] for logical_id, resource in template["Resources"].items()}

    def replace(value: Any) -> Any:
        if isinstance(value, dict):
            target = value.get("Fn::GetAtt")
            if isinstance(target, list) and len(target) == 2:
                stand_in = STAND_INS.get((types.get(target[0], ""), target[1]))
                if stand_in is not None:
                    return stand_in
            return {key: replace(item) for key, item in value.items()}
        if isinstance(value, list):
            return [replace(item) for item in value]
        return value

    replaced: dict[str, Any] = replace(template)
    return replaced


def _substitute(value: str, region: str) -> str:
    return (
        value.replace("${AWS::AccountId}", ACCOUNT_ID)
        .replace("${AWS::Region}", region)
        .replace("${AWS::Partition}", "aws")
    )


class Deployer:
    def __init__(self, assembly: Path, stack_name: str, region: str) -> None:
        self._assembly = assembly
        self._stack_name = stack_name
        self._region = region
        self._s3 = boto3.client("s3", region_name=region)

    def deploy(self) -> DeployedStack:
        template_path = self._assembly / f"{self._stack_name}.template.json"
        if not template_path.exists():
            raise FileNotFoundError(f"{template_path} is missing: run `make synth` first")
        template = json.loads(template_path.read_text())
        boto3.client("ssm", region_name=self._region).put_parameter(
            Name=BOOTSTRAP_VERSION_PARAMETER, Value="30", Type="String", Overwrite=True
        )
        self._upload_assets()
        cloudformation = boto3.client("cloudformation", region_name=self._region)
        cloudformation.create_stack(
            StackName=self._stack_name,
            TemplateBody=json.dumps(with_stand_ins(template)),
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        status = self._wait(cloudformation)
        if status != "CREATE_COMPLETE":
            events = cloudformation.describe_stack_events(StackName=self._stack_name)["StackEvents"]
            failed = [e for e in events if e["ResourceStatus"].endswith("FAILED")]
            raise RuntimeError(f"stack {self._stack_name} ended {status}: {failed[:3]}")
        # Resource types the emulator does not implement (Cognito, the authorizer, WAF, alarms …) are
        # skipped by it; the local gateway stands in for what the API needs of them.
        resources = {
            r["LogicalResourceId"]: r.get("PhysicalResourceId", "")
            for r in cloudformation.describe_stack_resources(StackName=self._stack_name)["StackResources"]
            if "LogicalResourceId" in r
        }
        self._mirror_state_machines(template, resources)
        self._apply_bucket_protection(template, resources)
        described = cloudformation.describe_stacks(StackName=self._stack_name)["Stacks"][0]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
        return DeployedStack(self._stack_name, template, resources, outputs)

    def _mirror_state_machines(self, template: dict[str, Any], resources: dict[str, str]) -> None:
        """The emulator's CloudFormation ignores DefinitionSubstitutions and keeps state machines
        where its Step Functions API, once ASL execution is on, does not look. So create each one
        again through that API: same name (so the same ARN), the definition with its substitutions
        resolved by the emulator's own CloudFormation, as Step Functions would."""
        from moto.cloudformation.models import cloudformation_backends
        from moto.cloudformation.parsing import clean_json

        resource_map = (
            cloudformation_backends[ACCOUNT_ID][self._region].get_stack(self._stack_name).resource_map
        )
        client = boto3.client("stepfunctions", region_name=self._region)
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] != "AWS::StepFunctions::StateMachine":
                continue
            properties = resource["Properties"]
            definition = clean_json(properties["DefinitionString"], resource_map)
            for key, value in clean_json(properties.get("DefinitionSubstitutions", {}), resource_map).items():
                definition = definition.replace(f"${{{key}}}", str(value))
            arn = resources[logical_id]
            created = client.create_state_machine(
                name=arn.rsplit(":", 1)[1],
                definition=definition,
                roleArn=clean_json(properties["RoleArn"], resource_map),
            )
            if created["stateMachineArn"] != arn:
                raise RuntimeError(f"state machine {arn} came back as {created['stateMachineArn']}")

    def _apply_bucket_protection(self, template: dict[str, Any], resources: dict[str, str]) -> None:
        """The emulator's CloudFormation creates buckets without their versioning and Object Lock;
        apply both as the template declares them, so an archived event is locked here as in AWS."""
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] != "AWS::S3::Bucket" or logical_id not in resources:
                continue
            properties = resource.get("Properties", {})
            bucket = resources[logical_id]
            if properties.get("VersioningConfiguration", {}).get("Status") == "Enabled":
                self._s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
            lock = properties.get("ObjectLockConfiguration")
            if properties.get("ObjectLockEnabled") and lock:
                self._s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration=lock)

    def _wait(self, cloudformation: Any) -> str:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            status = str(
                cloudformation.describe_stacks(StackName=self._stack_name)["Stacks"][0]["StackStatus"]
            )
            if not status.endswith("IN_PROGRESS"):
                return status
            time.sleep(0.2)
        raise TimeoutError(f"stack {self._stack_name} did not finish deploying")

    def _upload_assets(self) -> None:
        manifest = json.loads((self._assembly / f"{self._stack_name}.assets.json").read_text())
        created: set[str] = set()
        for asset in manifest.get("files", {}).values():
            source = self._assembly / asset["source"]["path"]
            if asset["source"].get("packaging") == "zip":
                body = _zip_directory(source)
            else:
                body = source.read_bytes()
            for destination in asset["destinations"].values():
                bucket = _substitute(destination["bucketName"], self._region)
                if bucket not in created:
                    self._s3.create_bucket(Bucket=bucket)
                    created.add(bucket)
                self._s3.put_object(
                    Bucket=bucket, Key=_substitute(destination["objectKey"], self._region), Body=body
                )
