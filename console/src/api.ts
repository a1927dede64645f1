// The v1 API with the viewer's access token. A 401 gets one refresh and one retry; after that the
// viewer signs in again. Errors carry the API's own message ({"error", "message", "details"}).

import { accessToken } from "./auth";
import type { Config } from "./config";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class SignInRequired extends Error {}

export async function apiGet<T>(config: Config, path: string, query?: URLSearchParams): Promise<T> {
  const url = `${config.apiBase}${path}${query && [...query].length ? `?${query}` : ""}`;
  return call<T>(config, url, { method: "GET" });
}

/** A change: the body as JSON, and the version read as If-Match (a stale one is a 409, nothing changed). */
export async function apiSend<T>(
  config: Config,
  method: "POST" | "PATCH" | "PUT",
  path: string,
  body: unknown,
  version?: number,
): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (version !== undefined) headers["If-Match"] = String(version);
  return call<T>(config, `${config.apiBase}${path}`, { method, headers, body: JSON.stringify(body) });
}

// A read the API answers 503 (busy: "retry", with Retry-After) is tried again, up to this many times
// in all; a change is not: its caller decides, with the version it read.
const READ_ATTEMPTS = 3;

const pause = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function call<T>(config: Config, url: string, init: RequestInit): Promise<T> {
  let refreshed = false;
  for (let attempt = 1; ; attempt += 1) {
    const token = await accessToken(config, refreshed);
    if (!token) throw new SignInRequired();
    const response = await fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}`, Accept: "application/json" },
      cache: "no-store",
    });
    if (response.status === 401) {
      if (refreshed) throw new SignInRequired();
      refreshed = true;
      continue;
    }
    if (response.status === 503 && init.method === "GET" && attempt < READ_ATTEMPTS) {
      await pause(Math.min(Number(response.headers.get("Retry-After")) || 1, 5));
      continue;
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      throw new ApiError(
        response.status,
        String(body.error ?? "error"),
        String(body.message ?? `HTTP ${response.status}`),
      );
    }
    return body as T;
  }
}

// --- the parts of the contract (docs/openapi.json) the console reads ------------------------------

export interface Deadlines {
  firstResponseDueAt: string;
  resolutionDueAt: string;
  solutionPlanDueAt?: string | null;
}

export interface Complaint {
  id: string;
  reference: string;
  status: string;
  channel: string;
  category?: string | null;
  priority: string;
  receivedAt: string;
  deadlines: Deadlines;
  firstRespondedAt?: string | null;
  solutionPlan?: { resolveBy: string } | null;
  pausedUntil?: string | null;
  assignee?: string | null;
  team?: string | null;
  escalationLevel: number;
  version: number;
  triage?: { riskFlags?: string[] } | null;
}

/** A complaint kept for litigation or an investigation (compliance places and lifts it). */
export interface LegalHold {
  reason: string;
  placedBy: string;
  placedAt: string;
}

/** One entry of a complaint's audit trail (GET /v1/complaints/{id}/trail). */
export interface AuditEvent {
  id: string;
  version: number;
  action: string;
  actor: { id: string; roles: string[] };
  at: string;
  changes?: Record<string, { before?: unknown; after?: unknown }>;
  data?: Record<string, unknown>;
}

/** One message sent about a complaint, as the trail lists it (the pages read different names for it). */
export interface NotificationBase {
  kind: string;
  channel: string;
  recipient: string;
  status: string;
  errorCode?: string | null;
  at: string;
}

export interface Page<T> {
  items: T[];
  nextToken?: string | null;
}

/** Every page of a listing up to `max` items (a page may hold fewer than the limit and still go on:
 * the API drops what the caller may not read). */
export async function listAll<T>(config: Config, path: string, filters: URLSearchParams, max = 500): Promise<T[]> {
  const found: T[] = [];
  let nextToken: string | null | undefined;
  do {
    const query = new URLSearchParams(filters);
    query.set("limit", "100");
    if (nextToken) query.set("nextToken", nextToken);
    const page = await apiGet<Page<T>>(config, path, query);
    found.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken && found.length < max);
  return found;
}

export function listComplaints(config: Config, filters: URLSearchParams, max = 500): Promise<Complaint[]> {
  return listAll<Complaint>(config, "/v1/complaints", filters, max);
}
