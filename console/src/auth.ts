// Who is signed in, and their access token for the API.
// Deployed: the user pool's hosted UI, authorization code with PKCE (S256) for a public client (no
// secret), the refresh token used before the access token runs out, sign-out that revokes the refresh
// token and ends the hosted UI's session. Local: a token of the runtime's stand-in, picked by role.
// Tokens live in sessionStorage (this tab only, gone when it closes); the content policy allows no
// script but the bundle's own, which is what keeps them from other code.

import { BASE, type CognitoConfig, type Config } from "./config";

const SESSION_KEY = "cg.session";
const PENDING_KEY = "cg.pkce";
const REFRESH_MARGIN_MS = 60_000;

export interface Session {
  accessToken: string;
  refreshToken?: string;
  /** epoch milliseconds */
  expiresAt: number;
}

export interface Identity {
  username: string;
  groups: string[];
  role: string | null;
  teams: string[];
}

const ROLES = ["compliance", "manager", "supervisor", "agent"];
const TEAM_PREFIX = "team:";

export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

export function identityOf(token: string): Identity {
  const claims = claimsOf(token);
  const raw = claims["cognito:groups"];
  const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? raw.split(",") : [];
  return {
    username: String(claims.username ?? claims.sub ?? ""),
    groups,
    role: ROLES.find((role) => groups.includes(role)) ?? null,
    teams: groups.filter((g) => g.startsWith(TEAM_PREFIX)).map((g) => g.slice(TEAM_PREFIX.length)),
  };
}

export function currentSession(): Session | null {
  const stored = sessionStorage.getItem(SESSION_KEY);
  if (!stored) return null;
  try {
    return JSON.parse(stored) as Session;
  } catch {
    return null;
  }
}

function store(session: Session | null): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

// --- local runtime ---------------------------------------------------------------------------------

/** The local runtime's staff tokens by name (channel apps' are left out: they do not use the console). */
export async function localTokens(config: Config): Promise<Record<string, string>> {
  if (config.mode !== "local") return {};
  const response = await fetch(config.tokensUrl, { cache: "no-store" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const tokens = (await response.json()) as Record<string, string>;
  return Object.fromEntries(Object.entries(tokens).filter(([name]) => !name.startsWith("channel_app")));
}

export function signInLocally(token: string): void {
  const exp = Number(claimsOf(token).exp ?? 0) * 1000;
  store({ accessToken: token, expiresAt: exp || Date.now() + 3_600_000 });
}

// --- Cognito hosted UI ----------------------------------------------------------------------------

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomText(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function redirectUri(): string {
  return `${location.origin}${BASE}callback`;
}

export function signedOutUri(): string {
  return `${location.origin}${BASE}`;
}

/** Off to the hosted UI with a fresh PKCE verifier and state (kept in this tab until the callback). */
export async function beginHostedSignIn(config: CognitoConfig): Promise<void> {
  const verifier = randomText(48);
  const state = randomText(16);
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scopes,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  location.assign(`${config.authDomain}/oauth2/authorize?${query}`);
}

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

async function tokenRequest(config: CognitoConfig, form: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(`${config.authDomain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: config.clientId, ...form }),
  });
  if (!response.ok) {
    const answer = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(answer.error ?? `HTTP ${response.status}`);
  }
  return (await response.json()) as TokenAnswer;
}

/** The hosted UI sent the browser back with ?code&state: trade the code (and the verifier) for tokens. */
export async function completeHostedSignIn(config: CognitoConfig, search: string): Promise<void> {
  const params = new URLSearchParams(search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? "null") as {
    verifier: string;
    state: string;
  } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (params.get("error")) throw new Error(params.get("error_description") ?? params.get("error") ?? "");
  const code = params.get("code");
  if (!pending || !code || params.get("state") !== pending.state) {
    throw new Error("the sign-in answer does not belong to this tab's request");
  }
  const answer = await tokenRequest(config, {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
  });
  store({
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    expiresAt: Date.now() + answer.expires_in * 1000,
  });
}

let refreshing: Promise<Session | null> | null = null;

async function refresh(config: CognitoConfig, session: Session): Promise<Session | null> {
  if (!session.refreshToken) return null;
  try {
    const answer = await tokenRequest(config, {
      grant_type: "refresh_token",
      refresh_token: session.refreshToken,
    });
    const renewed = {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token ?? session.refreshToken,
      expiresAt: Date.now() + answer.expires_in * 1000,
    };
    store(renewed);
    return renewed;
  } catch {
    store(null);
    return null;
  }
}

/** A valid access token: refreshed first when it runs out within a minute (or `force`); null when the
 * viewer must sign in again. Concurrent callers share one refresh. */
export async function accessToken(config: Config, force = false): Promise<string | null> {
  const session = currentSession();
  if (!session) return null;
  if (!force && session.expiresAt - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
  if (config.mode !== "cognito") {
    if (session.expiresAt > Date.now() && !force) return session.accessToken;
    store(null);
    return null;
  }
  refreshing ??= refresh(config, session).finally(() => {
    refreshing = null;
  });
  return (await refreshing)?.accessToken ?? null;
}

/** Forget the tokens; deployed, revoke the refresh token and end the hosted UI's session too. */
export async function signOut(config: Config): Promise<void> {
  const session = currentSession();
  store(null);
  if (config.mode !== "cognito") {
    location.assign(`${BASE}signin`);
    return;
  }
  if (session?.refreshToken) {
    await fetch(`${config.authDomain}/oauth2/revoke`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: session.refreshToken, client_id: config.clientId }),
    }).catch(() => undefined);
  }
  const query = new URLSearchParams({ client_id: config.clientId, logout_uri: signedOutUri() });
  location.assign(`${config.authDomain}/logout?${query}`);
}
