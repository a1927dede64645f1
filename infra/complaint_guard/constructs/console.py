"""Console: the staff console's static files, private in S3 behind CloudFront (origin access control),
with the security headers and strict content policy of complaint_guard/console_headers.py.

The distribution serves the app at /console/ and routes /v1/* to the API stage, so the browser calls
the API on the console's own origin: no CORS, and `connect-src` names nothing but 'self', the
Cognito domain and the attachments bucket's endpoints (a file is posted straight to S3 with the form the
API signed). A CloudFront function sends / to /console/ and answers every path of the app without a
file extension with index.html (the single-page app routes it), without turning the API's own 403s
and 404s into pages as distribution-wide error responses would.

The files (console/dist) and config.json are put in the bucket after `cdk deploy` by
scripts/publish_console.py (`make deploy`), from the stack's outputs: config.json needs the console's
app client, whose callback URLs need this distribution, so it cannot be part of the distribution."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..console_headers import HSTS_SECONDS, content_security_policy
from ..nag import accept
from .buckets import data_key, private_bucket
from .firewall import OriginHeader

PREFIX = "console/"
"""Where the app's files are in the bucket, and its path on the distribution."""

# Viewer-request function of the default (S3) behaviour: runtime cloudfront-js-2.0.
_ROUTER = """
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '/console') {
    return {statusCode: 302, statusDescription: 'Found', headers: {location: {value: '/console/'}}};
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (uri.indexOf('/console/') === 0 && last.indexOf('.') === -1) {
    request.uri = '/console/index.html';
  }
  return request;
}
""".strip()

# What the API needs of a request, forwarded to the stage (the Authorization header too: it is part of
# the cache key below, so it reaches the origin; nothing is cached across tokens).
_API_HEADERS = ("Accept", "Accept-Language", "Content-Type", "If-Match", "Idempotency-Key")


class Console(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        rest_api: apigw.RestApi,
        auth_domain: str,
        upload_endpoints: Sequence[str],
        access_logs: s3.IBucket,
        retain: bool,
        web_acl_arn: str | None = None,
        origin_header: OriginHeader | None = None,
    ) -> None:
        """`web_acl_arn`: the console's web ACL at the edge (complaint_guard/edge.py), None before it
        is known; `origin_header`: what the distribution adds to each request it sends the API stage,
        so the stage's WAF leaves it to the edge's per-viewer rate rule (constructs/firewall.py)."""
        super().__init__(scope, construct_id)
        self.key = data_key(self, "encrypts the staff console's files at rest", retain=retain)
        # The current build stays as long as it is current; the builds it replaced go after a month.
        self.bucket = private_bucket(
            self,
            key=self.key,
            access_logs=access_logs,
            log_prefix=PREFIX,
            keep_days=None,
            replaced_days=30,
            retain=retain,
        )
        self.headers = cloudfront.ResponseHeadersPolicy(
            self,
            "Headers",
            comment="complaint-guard console: HSTS, strict content policy, no framing, no sniffing",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=content_security_policy(auth_domain, *upload_endpoints),
                    override=True,
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.seconds(HSTS_SECONDS),
                    include_subdomains=True,
                    override=True,
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
            ),
        )
        router = cloudfront.Function(
            self,
            "Router",
            code=cloudfront.FunctionCode.from_inline(_ROUTER),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment="complaint-guard console: / to /console/, app paths to index.html",
        )
        api_cache = cloudfront.CachePolicy(
            self,
            "ApiCache",
            comment="complaint-guard API through the console: per token, and nothing kept (TTL 0)",
            default_ttl=Duration.seconds(0),
            min_ttl=Duration.seconds(0),
            max_ttl=Duration.seconds(1),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list("Authorization"),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
        )
        api_requests = cloudfront.OriginRequestPolicy(
            self,
            "ApiRequests",
            comment="complaint-guard API through the console: the headers the API reads",
            header_behavior=cloudfront.OriginRequestHeaderBehavior.allow_list(*_API_HEADERS),
            query_string_behavior=cloudfront.OriginRequestQueryStringBehavior.all(),
            cookie_behavior=cloudfront.OriginRequestCookieBehavior.none(),
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="complaint-guard staff console",
            web_acl_id=web_acl_arn,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_ALL,
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.headers,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=router, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
                compress=True,
            ),
            additional_behaviors={
                "/v1/*": cloudfront.BehaviorOptions(
                    origin=origins.RestApiOrigin(
                        rest_api,
                        custom_headers={origin_header.name: origin_header.value} if origin_header else None,
                    ),
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cache_policy=api_cache,
                    origin_request_policy=api_requests,
                    response_headers_policy=self.headers,
                    compress=True,
                )
            },
        )
        for rule, reason in (
            (
                "AwsSolutions-CFR1",
                "staff of the bank sign in from wherever they work; the user pool (MFA, threat "
                "protection) decides who gets in, not the viewer's country",
            ),
            (
                "AwsSolutions-CFR3",
                "CloudFront standard logs need an ACL-enabled bucket; the stack's buckets enforce "
                "bucket-owner ownership. The bucket's S3 access logs and the API stage's access logs "
                "record every request that reaches data",
            ),
            (
                "AwsSolutions-CFR4",
                "the default *.cloudfront.net certificate, whose minimum protocol CloudFront fixes; an "
                "operator's custom domain with its own certificate sets TLSv1.2_2021",
            ),
        ):
            accept(self.distribution, rule, reason)
        if web_acl_arn is None:
            accept(
                self.distribution,
                "AwsSolutions-CFR2",
                "synthesized without the console's web ACL (-c consoleWebAclArn): the local runtime, "
                "the tests, a first synthesis. `make deploy` deploys the ACL's us-east-1 stack "
                "(complaint_guard/edge.py) first and this stack with it; until then the API behind "
                "/v1/* keeps the regional WAF of its stage (constructs/firewall.py)",
            )

    @property
    def origin(self) -> str:
        """https://<distribution>: where the console's pages run (the attachments bucket's CORS)."""
        return f"https://{self.distribution.distribution_domain_name}"

    @property
    def url(self) -> str:
        """The console's address: https://<distribution>/console/."""
        return f"{self.origin}/{PREFIX}"
