"""What the local runtime deploys in place of attributes the emulator cannot give (infra/local/deployer.py):
the console's distribution is not created locally, so the attachments bucket's CORS rule, which names
its domain, gets a stand-in; everything else of the template is deployed as synthesized."""

from __future__ import annotations

from typing import Any

from local.deployer import STAND_INS, with_stand_ins

DISTRIBUTION_DOMAIN = STAND_INS[("AWS::CloudFront::Distribution", "DomainName")]


def template() -> dict[str, Any]:
    console_origin = {"Fn::Join": ["", ["https://", {"Fn::GetAtt": ["Distribution", "DomainName"]}]]}
    return {
        "Resources": {
            "Distribution": {"Type": "AWS::CloudFront::Distribution", "Properties": {}},
            "Bucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "CorsConfiguration": {"CorsRules": [{"AllowedOrigins": [console_origin]}]},
                    "LoggingConfiguration": {"DestinationBucketName": {"Fn::GetAtt": ["Logs", "Arn"]}},
                },
            },
            "Logs": {"Type": "AWS::S3::Bucket", "Properties": {}},
        },
        "Outputs": {"Id": {"Value": {"Fn::GetAtt": ["Distribution", "Id"]}}},
    }


def test_the_distributions_domain_is_stood_in_for_and_nothing_else_changes() -> None:
    original = template()
    deployed = with_stand_ins(original)
    (rule,) = deployed["Resources"]["Bucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedOrigins"] == [{"Fn::Join": ["", ["https://", DISTRIBUTION_DOMAIN]]}]
    # another resource's attribute, and an attribute of the distribution with no stand-in, stay
    assert deployed["Resources"]["Bucket"]["Properties"]["LoggingConfiguration"] == {
        "DestinationBucketName": {"Fn::GetAtt": ["Logs", "Arn"]}
    }
    assert deployed["Outputs"] == original["Outputs"]
    # the synthesized template itself is not changed
    assert original == template()
