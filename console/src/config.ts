// What the console is told about the stack it runs in: config.json beside the app, so one bundle serves
// every stack (the CloudFront distribution answers it from stack values; `make run` from the runtime).

export const BASE = "/console/";

export interface LocalConfig {
  mode: "local";
  /** where the local stand-in for Cognito hands out a token per role */
  tokensUrl: string;
}

export interface CognitoConfig {
  mode: "cognito";
  /** the user pool's hosted UI, e.g. https://complaint-guard.auth.eu-west-1.amazoncognito.com */
  authDomain: string;
  clientId: string;
  scopes: string;
}

export type Config = (LocalConfig | CognitoConfig) & {
  /** the API's base URL; "" for the console's own origin (CloudFront and `make run` route /v1 to it) */
  apiBase: string;
};

export async function loadConfig(): Promise<Config> {
  const response = await fetch(`${BASE}config.json`, { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as Config;
  if (config.mode !== "local" && config.mode !== "cognito") throw new Error("config.json: unknown mode");
  return { ...config, apiBase: (config.apiBase ?? "").replace(/\/$/, "") };
}
