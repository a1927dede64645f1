// The deployed sign-in (docs: README, "The console"): authorization code with PKCE against the hosted
// UI, the code traded with its verifier, tokens refreshed before they run out, sign-out that revokes.

import "./browser-stubs";

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { beforeEach, test } from "node:test";

import {
  accessToken,
  beginHostedSignIn,
  completeHostedSignIn,
  currentSession,
  identityOf,
  signOut,
} from "../src/auth";
import type { CognitoConfig, Config } from "../src/config";
import { requests, reset, storage, visits } from "./browser-stubs";

const config: CognitoConfig & Config = {
  mode: "cognito",
  authDomain: "https://cg.auth.eu-west-1.amazoncognito.com",
  clientId: "client-1",
  scopes: "openid complaint-guard/staff",
  apiBase: "",
};

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part(claims)}.sig`;
}

function form(index: number): URLSearchParams {
  return new URLSearchParams(String(requests[index].init?.body));
}

beforeEach(() => reset());

test("sign-in goes to the hosted UI with an S256 challenge of a verifier kept in the tab", async () => {
  await beginHostedSignIn(config);
  const url = new URL(visits[0]);
  assert.equal(`${url.origin}${url.pathname}`, `${config.authDomain}/oauth2/authorize`);
  const query = url.searchParams;
  assert.equal(query.get("response_type"), "code");
  assert.equal(query.get("client_id"), "client-1");
  assert.equal(query.get("redirect_uri"), "https://d111.cloudfront.net/console/callback");
  assert.equal(query.get("scope"), "openid complaint-guard/staff");
  assert.equal(query.get("code_challenge_method"), "S256");
  const pending = JSON.parse(storage.get("cg.pkce") ?? "{}");
  assert.ok(pending.verifier.length >= 43, "RFC 7636: at least 43 characters");
  assert.equal(query.get("state"), pending.state);
  assert.equal(query.get("code_challenge"), createHash("sha256").update(pending.verifier).digest("base64url"));
});

test("the callback trades the code and the verifier for tokens, once, for this tab's state only", async () => {
  await beginHostedSignIn(config);
  const { verifier, state } = JSON.parse(storage.get("cg.pkce") ?? "{}");
  reset({ access_token: "access-1", refresh_token: "refresh-1", expires_in: 3600 });
  storage.set("cg.pkce", JSON.stringify({ verifier, state }));
  await completeHostedSignIn(config, `?code=code-1&state=${state}`);
  assert.equal(requests[0].url, `${config.authDomain}/oauth2/token`);
  assert.deepEqual(Object.fromEntries(form(0)), {
    client_id: "client-1",
    grant_type: "authorization_code",
    code: "code-1",
    redirect_uri: "https://d111.cloudfront.net/console/callback",
    code_verifier: verifier,
  });
  assert.equal(currentSession()?.accessToken, "access-1");
  assert.equal(storage.has("cg.pkce"), false);

  storage.set("cg.pkce", JSON.stringify({ verifier, state }));
  await assert.rejects(completeHostedSignIn(config, "?code=code-2&state=someone-elses"));
});

test("a token about to run out is refreshed first; a refused refresh means signing in again", async () => {
  reset({ access_token: "new", expires_in: 3600 });
  storage.set(
    "cg.session",
    JSON.stringify({ accessToken: "old", refreshToken: "refresh-1", expiresAt: Date.now() + 30_000 }),
  );
  assert.equal(await accessToken(config), "new");
  assert.deepEqual(Object.fromEntries(form(0)), {
    client_id: "client-1",
    grant_type: "refresh_token",
    refresh_token: "refresh-1",
  });
  assert.equal(currentSession()?.refreshToken, "refresh-1");
  assert.equal(await accessToken(config), "new"); // fresh now: no second request
  assert.equal(requests.length, 1);

  reset({ status: 400, error: "invalid_grant" });
  storage.set(
    "cg.session",
    JSON.stringify({ accessToken: "old", refreshToken: "revoked", expiresAt: Date.now() + 30_000 }),
  );
  assert.equal(await accessToken(config), null);
  assert.equal(currentSession(), null);
});

test("sign-out revokes the refresh token and ends the hosted UI's session", async () => {
  storage.set(
    "cg.session",
    JSON.stringify({ accessToken: "a", refreshToken: "refresh-1", expiresAt: Date.now() + 3_600_000 }),
  );
  await signOut(config);
  assert.equal(currentSession(), null);
  assert.equal(requests[0].url, `${config.authDomain}/oauth2/revoke`);
  assert.deepEqual(Object.fromEntries(form(0)), { token: "refresh-1", client_id: "client-1" });
  const logout = new URL(visits[0]);
  assert.equal(`${logout.origin}${logout.pathname}`, `${config.authDomain}/logout`);
  assert.equal(logout.searchParams.get("logout_uri"), "https://d111.cloudfront.net/console/");
});

test("the role and teams come from cognito:groups, as a list or as API Gateway's string", () => {
  for (const groups of [["supervisor", "team:cards", "team:intake"], "supervisor,team:cards,team:intake"]) {
    const who = identityOf(jwt({ username: "li.na", "cognito:groups": groups }));
    assert.deepEqual(who, {
      username: "li.na",
      groups: ["supervisor", "team:cards", "team:intake"],
      role: "supervisor",
      teams: ["cards", "intake"],
    });
  }
});
