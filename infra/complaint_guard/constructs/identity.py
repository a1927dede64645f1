"""Identity: who may call the API. Staff are users in groups (their role's and their teams'); channel
apps are app clients."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from complaints.core.access import INTAKE_TEAM
from complaints.core.auth import RESOURCE_SERVER, STAFF_ROLES, TEAM_GROUP_PREFIX, Scope


class Identity(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        channel_apps: tuple[str, ...],
        staff_callback_urls: tuple[str, ...],
        domain_prefix: str | None,
        retain: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            password_policy=cognito.PasswordPolicy(
                min_length=14,
                require_digits=True,
                require_lowercase=True,
                require_uppercase=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            deletion_protection=retain,
            removal_policy=RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY,
        )
        for role in STAFF_ROLES:
            cognito.CfnUserPoolGroup(
                self,
                f"Group{role.value.title()}",
                user_pool_id=self.user_pool.user_pool_id,
                group_name=role.value,
                description=f"complaint-guard {role.value}s",
            )
        # Team groups (`team:<name>`) carry the teams whose complaints a staff member works, in the
        # access token's `cognito:groups` (no pre-token-generation trigger needed). Operations create
        # one per team (README, "Roles and teams"); the intake queue's belongs to the system.
        cognito.CfnUserPoolGroup(
            self,
            "GroupTeamIntake",
            user_pool_id=self.user_pool.user_pool_id,
            group_name=f"{TEAM_GROUP_PREFIX}{INTAKE_TEAM}",
            description="complaint-guard intake queue: works the complaints that have no team yet",
        )
        scopes = {
            Scope.SUBMIT: cognito.ResourceServerScope(
                scope_name="complaints.submit", scope_description="submit complaints"
            ),
            Scope.READ: cognito.ResourceServerScope(
                scope_name="complaints.read", scope_description="read complaints"
            ),
            Scope.STAFF: cognito.ResourceServerScope(
                scope_name="staff", scope_description="staff; rights by group"
            ),
        }
        server = self.user_pool.add_resource_server(
            "ResourceServer", identifier=RESOURCE_SERVER, scopes=list(scopes.values())
        )
        self.domain = self.user_pool.add_domain(
            "Domain",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=domain_prefix or "complaint-guard"),
        )
        self._server = server
        self._staff_scope = scopes[Scope.STAFF]
        self._staff_callback_urls = staff_callback_urls
        self.channel_clients = {
            name: self.user_pool.add_client(
                f"Channel{''.join(part.title() for part in name.split('-'))}",
                user_pool_client_name=f"channel-{name}",
                generate_secret=True,
                o_auth=cognito.OAuthSettings(
                    flows=cognito.OAuthFlows(client_credentials=True),
                    scopes=[
                        cognito.OAuthScope.resource_server(server, scopes[Scope.SUBMIT]),
                        cognito.OAuthScope.resource_server(server, scopes[Scope.READ]),
                    ],
                ),
                access_token_validity=Duration.hours(1),
            )
            for name in channel_apps
        }

    def add_console_client(self, *, console_url: str) -> cognito.UserPoolClient:
        """The staff console's app client: a public client (no secret: the browser could not keep
        one) for the hosted UI's authorization code grant with PKCE only, back to the console's
        `callback` (and any `staff_callback_urls` of the settings), signed out to the console."""
        self.staff_client = self.user_pool.add_client(
            "StaffConsole",
            user_pool_client_name="staff-console",
            generate_secret=False,
            # No password or SRP sign-in against the API: only the hosted UI, then refresh tokens.
            auth_flows=cognito.AuthFlow(user_srp=False, user_password=False, custom=False),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[
                    cognito.OAuthScope.OPENID,
                    cognito.OAuthScope.resource_server(self._server, self._staff_scope),
                ],
                callback_urls=[f"{console_url}callback", *self._staff_callback_urls],
                logout_urls=[console_url],
            ),
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            # A working day; signing out revokes it sooner.
            refresh_token_validity=Duration.hours(12),
            enable_token_revocation=True,
            prevent_user_existence_errors=True,
        )
        return self.staff_client
