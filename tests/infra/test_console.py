"""The staff console's resources in the synthesized template: a private bucket only this distribution
reads (origin access control), a distribution that sends its security headers and strict content
policy on every answer and routes /v1/* to the API, the router function that serves the app's paths
(run here under Node, as CloudFront would run it), and the console's Cognito app client: a public
client for the authorization code grant with PKCE, back to the distribution only."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from complaint_guard.console_headers import HSTS_SECONDS
from complaints.core.auth import Scope
from scripts.publish_console import console_config

pytestmark = pytest.mark.xdist_group("infra")

Resources = dict[str, dict[str, Any]]


def one(resources: Resources, kind: str, prefix: str = "Console") -> tuple[str, dict[str, Any]]:
    found = [(k, r) for k, r in resources.items() if r["Type"] == kind and k.startswith(prefix)]
    assert len(found) == 1, f"{kind} {prefix}: {[k for k, _ in found]}"
    return found[0]


@pytest.fixture(scope="module")
def distribution(resources: Resources) -> tuple[str, dict[str, Any]]:
    logical_id, resource = one(resources, "AWS::CloudFront::Distribution")
    return logical_id, resource["Properties"]["DistributionConfig"]


@pytest.fixture(scope="module")
def client(resources: Resources) -> dict[str, Any]:
    (found,) = (
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Cognito::UserPoolClient"
        and r["Properties"].get("ClientName") == "staff-console"
    )
    return dict(found)


def test_the_bucket_is_private_encrypted_tls_only_logged_and_read_by_this_distribution_only(
    resources: Resources, distribution: tuple[str, dict[str, Any]]
) -> None:
    bucket_id, bucket = one(resources, "AWS::S3::Bucket")
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    key_id = rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Fn::GetAtt"][0]
    assert resources[key_id]["Properties"]["EnableKeyRotation"] is True
    assert props["LoggingConfiguration"]["DestinationBucketName"]["Ref"].startswith("ReportsAccessLogs")
    assert "ExpirationInDays" not in json.dumps(props["LifecycleConfiguration"])  # the app never expires

    (statements,) = (
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources.values()
        if p["Type"] == "AWS::S3::BucketPolicy" and p["Properties"]["Bucket"] == {"Ref": bucket_id}
    )
    denies = [s for s in statements if s["Effect"] == "Deny"]
    assert {"aws:SecureTransport": "false"} in [s["Condition"].get("Bool") for s in denies]
    (allow,) = [s for s in statements if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    # origin access control: the service, for this distribution only
    assert {"Ref": distribution[0]} in allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Join"][1]


def test_the_distribution_reads_the_bucket_through_origin_access_control_over_https(
    resources: Resources, distribution: tuple[str, dict[str, Any]]
) -> None:
    _, config = distribution
    origins = {o["Id"]: o for o in config["Origins"]}
    s3_origin = origins[config["DefaultCacheBehavior"]["TargetOriginId"]]
    assert s3_origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}  # OAC, not the legacy OAI
    oac_id = s3_origin["OriginAccessControlId"]["Fn::GetAtt"][0]
    assert resources[oac_id]["Properties"]["OriginAccessControlConfig"] | {"Name": None} == {
        "Name": None,
        "OriginAccessControlOriginType": "s3",
        "SigningBehavior": "always",
        "SigningProtocol": "sigv4",
    }
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert config["DefaultCacheBehavior"]["AllowedMethods"] == ["GET", "HEAD"]


def test_the_api_is_on_the_consoles_origin_uncached_per_token(
    resources: Resources, distribution: tuple[str, dict[str, Any]]
) -> None:
    _, config = distribution
    (api,) = config["CacheBehaviors"]
    assert api["PathPattern"] == "/v1/*"
    assert api["ViewerProtocolPolicy"] == "https-only"
    assert {"POST", "PATCH", "PUT"} <= set(api["AllowedMethods"])
    origin = next(o for o in config["Origins"] if o["Id"] == api["TargetOriginId"])
    assert origin["CustomOriginConfig"] == {
        "OriginProtocolPolicy": "https-only",
        "OriginSSLProtocols": ["TLSv1.2"],
    }
    assert "ApiRestApi" in json.dumps(origin["DomainName"])
    cache = resources[api["CachePolicyId"]["Ref"]]["Properties"]["CachePolicyConfig"]
    assert (cache["DefaultTTL"], cache["MinTTL"]) == (0, 0) and cache["MaxTTL"] <= 1
    keyed = cache["ParametersInCacheKeyAndForwardedToOrigin"]
    assert keyed["HeadersConfig"] == {"HeaderBehavior": "whitelist", "Headers": ["Authorization"]}
    assert keyed["CookiesConfig"] == {"CookieBehavior": "none"}
    forwarded = resources[api["OriginRequestPolicyId"]["Ref"]]["Properties"]["OriginRequestPolicyConfig"]
    assert {"If-Match", "Idempotency-Key", "Content-Type"} <= set(forwarded["HeadersConfig"]["Headers"])
    assert "Host" not in forwarded["HeadersConfig"]["Headers"]  # API Gateway answers its own host only


def test_every_answer_carries_hsts_a_strict_content_policy_and_no_framing(
    resources: Resources, distribution: tuple[str, dict[str, Any]]
) -> None:
    _, config = distribution
    policy_ids = {config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]["Ref"]} | {
        b["ResponseHeadersPolicyId"]["Ref"] for b in config["CacheBehaviors"]
    }
    (policy_id,) = policy_ids
    headers = resources[policy_id]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"] == {
        "AccessControlMaxAgeSec": HSTS_SECONDS,
        "IncludeSubdomains": True,
        "Override": True,
    }
    assert HSTS_SECONDS >= 365 * 24 * 3600
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert headers["ReferrerPolicy"] == {"Override": True, "ReferrerPolicy": "no-referrer"}
    csp = headers["ContentSecurityPolicy"]
    assert csp["Override"] is True
    parts = csp["ContentSecurityPolicy"]["Fn::Join"][1]
    text = "".join(p if isinstance(p, str) else "<ref>" for p in parts)
    directives = dict(d.strip().split(" ", 1) for d in text.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    # the API on the same origin, the Cognito domain (the user pool's own) for the token endpoint, and
    # the attachments bucket's regional and global endpoints, where a file is posted with its signed form
    bucket = "complaint-guard-attachments-<ref>-<ref>"
    assert directives["connect-src"] == (
        f"'self' https://<ref>.auth.<ref>.amazoncognito.com https://{bucket}.s3.<ref>.amazonaws.com "
        f"https://{bucket}.s3.amazonaws.com"
    )
    assert {"Ref": one(resources, "AWS::Cognito::UserPoolDomain", "Identity")[0]} in parts
    assert "unsafe" not in text and "*" not in text and "http:" not in text


ROUTER_CASES = {
    "/": ("redirect", "/console/"),
    "/console": ("redirect", "/console/"),
    "/console/": ("origin", "/console/index.html"),
    "/console/queue/mine": ("origin", "/console/index.html"),
    "/console/callback": ("origin", "/console/index.html"),
    "/console/assets/main-ABC.js": ("origin", "/console/assets/main-ABC.js"),
    "/console/config.json": ("origin", "/console/config.json"),
    "/elsewhere/page": ("origin", "/elsewhere/page"),
}


def test_the_router_sends_app_paths_to_index_html_and_leaves_files_alone(resources: Resources) -> None:
    _, function = one(resources, "AWS::CloudFront::Function")
    assert function["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    node = shutil.which("node")
    assert node, "Node.js is needed (CDK synthesis needs it too)"
    script = (
        function["Properties"]["FunctionCode"]
        + "\nconst cases = JSON.parse(process.argv[1]);"
        + "\nconst out = {};"
        + "\nfor (const uri of cases) {"
        + "\n  const r = handler({request: {uri: uri, headers: {}}});"
        + "\n  out[uri] = r.statusCode ? ['redirect', r.headers.location.value] : ['origin', r.uri];"
        + "\n}"
        + "\nconsole.log(JSON.stringify(out));"
    )
    answer = subprocess.run(
        [node, "-e", script, json.dumps(list(ROUTER_CASES))], capture_output=True, text=True, check=True
    )
    assert {k: tuple(v) for k, v in json.loads(answer.stdout).items()} == ROUTER_CASES
    _, distribution = one(resources, "AWS::CloudFront::Distribution")
    behavior = distribution["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    (association,) = behavior["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"


def test_the_console_client_is_public_code_grant_only_back_to_the_distribution(
    client: dict[str, Any], distribution: tuple[str, dict[str, Any]]
) -> None:
    assert client["GenerateSecret"] is False  # a browser keeps no secret: PKCE instead
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]  # no password or SRP sign-in
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    assert client["EnableTokenRevocation"] is True
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    staff = client["AllowedOAuthScopes"][1]["Fn::Join"][1][1]
    assert client["AllowedOAuthScopes"][0] == "openid" and staff == "/staff"
    domain = {"Fn::GetAtt": [distribution[0], "DomainName"]}
    assert client["CallbackURLs"][0] == {"Fn::Join": ["", ["https://", domain, "/console/callback"]]}
    assert client["LogoutURLs"] == [{"Fn::Join": ["", ["https://", domain, "/console/"]]}]
    assert all(str(url).startswith("https://") for url in client["CallbackURLs"][1:])
    assert client["RefreshTokenValidity"] <= 24 * 60  # minutes: a working day, not the 30-day default


def test_the_outputs_give_the_publish_step_what_config_json_needs(template: Any) -> None:
    outputs = template.to_json()["Outputs"]
    for name in ("ConsoleBucketName", "ConsoleDistributionId", "ConsoleClientId", "CognitoDomainUrl"):
        assert name in outputs, name
    config = console_config(
        {
            "CognitoDomainUrl": "https://cg.auth.eu-west-1.amazoncognito.com/",
            "ConsoleClientId": "abc123",
        }
    )
    assert config == {
        "mode": "cognito",
        "authDomain": "https://cg.auth.eu-west-1.amazoncognito.com",
        "clientId": "abc123",
        "scopes": f"openid {Scope.STAFF.value}",
        "apiBase": "",
    }


def test_publishing_puts_the_build_and_config_json_in_the_bucket_and_invalidates_the_pages(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """scripts/publish_console.py (make deploy) against moto: the stack's outputs name the bucket,
    the client and the distribution; hashed assets are cached for good, the pages revalidated."""
    import boto3
    from moto import mock_aws

    from scripts import publish_console

    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html>")
    (dist / "assets" / "main-ABC.js").write_text("export {};")
    (dist / "assets" / "main-ABC.css").write_text("body{}")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(
            Bucket="console-files", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        distribution = boto3.client("cloudfront").create_distribution(
            DistributionConfig={
                "CallerReference": "test",
                "Comment": "console",
                "Enabled": True,
                "Origins": {
                    "Quantity": 1,
                    "Items": [
                        {
                            "Id": "files",
                            "DomainName": "console-files.s3.eu-west-1.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                },
                "DefaultCacheBehavior": {
                    "TargetOriginId": "files",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "MinTTL": 0,
                    "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                },
            }
        )["Distribution"]
        outputs = {
            "ConsoleBucketName": "console-files",
            "ConsoleDistributionId": distribution["Id"],
            "ConsoleClientId": "abc123",
            "CognitoDomainUrl": "https://cg.auth.eu-west-1.amazoncognito.com",
        }
        template = {
            "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
            "Outputs": {name: {"Value": value} for name, value in outputs.items()},
        }
        boto3.client("cloudformation").create_stack(StackName="cg-test", TemplateBody=json.dumps(template))

        url = publish_console.publish("cg-test", dist)

        assert url == f"https://{distribution['DomainName']}/console/"
        stored = {o["Key"] for o in s3.list_objects_v2(Bucket="console-files")["Contents"]}
        assert stored == {
            "console/index.html",
            "console/assets/main-ABC.js",
            "console/assets/main-ABC.css",
            "console/config.json",
        }
        script = s3.get_object(Bucket="console-files", Key="console/assets/main-ABC.js")
        assert script["ContentType"].startswith("text/javascript")
        assert "immutable" in script["CacheControl"]
        page = s3.get_object(Bucket="console-files", Key="console/index.html")
        assert page["ContentType"].startswith("text/html") and page["CacheControl"] == "no-cache"
        config = json.loads(s3.get_object(Bucket="console-files", Key="console/config.json")["Body"].read())
        assert config == console_config(outputs)
        invalidations = boto3.client("cloudfront").list_invalidations(DistributionId=distribution["Id"])
        assert invalidations["InvalidationList"]["Quantity"] == 1
