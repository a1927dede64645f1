// The API calls of the oversight pages (docs/openapi.json), through api.ts's apiGet/apiSend: the
// viewer's token, one refresh on a 401, errors carrying the API's own message.

import {
  apiGet,
  apiSend,
  type AuditEvent,
  type Complaint,
  type LegalHold,
  listAll,
  listComplaints,
  type NotificationBase,
} from "../api";
import type { Config } from "../config";
import { mergeById, type Period, periodQuery } from "./logic";

// --- the parts of the contract these pages read ----------------------------------------------------

export interface FollowUp {
  status: "open" | "completed";
  rating: number;
  openedAt: string;
  dueAt: string;
  team?: string | null;
  assignee?: string | null;
  escalatedAt?: string | null;
  completedAt?: string | null;
  completedBy?: string | null;
  outcome?: string | null;
  notes?: string | null;
}

export interface OversightComplaint extends Complaint {
  atRiskWarned?: Record<string, string> | null;
  followUp?: FollowUp | null;
  customer?: { customerId: string } | null;
  triage?: { riskFlags?: string[]; sensitive?: boolean } | null;
  legalHold?: LegalHold | null;
}

export interface AccountabilityRecord {
  id: string;
  complaintId: string;
  reference: string;
  trigger?: string;
  deadline?: string | null;
  dueAt?: string | null;
  reason?: string | null;
  evidence?: string | null;
  openedBy?: string | null;
  assignee: string;
  team: string;
  status: "open" | "reviewed";
  openedAt: string;
  finding?: "justified" | "unjustified" | null;
  action?: string | null;
  reviewedBy?: string | null;
  reviewedAt?: string | null;
  version?: number;
}

export interface Targets {
  firstResponseOnTimeRate?: number;
  satisfactionRate?: number;
  closureRate?: number;
}

export type Rate = number | null;

export interface KpiReport {
  from: string;
  to: string;
  asOf: string;
  received: number;
  withdrawn: number;
  closed: number;
  resolvedOrClosed: number;
  firstResponsesOnTime: number;
  firstResponsesCounted: number;
  satisfiedRatings: number;
  ratings: number;
  accountabilityReviewed: number;
  accountabilityOpened: number;
  followUpsOnTime: number;
  followUpsCounted: number;
  firstResponseOnTimeRate: Rate;
  satisfactionRate: Rate;
  closureRate: Rate;
  resolutionRate: Rate;
  accountabilityRate: Rate;
  followUpOnTimeRate: Rate;
  solutionPlanOnTimeRate: Rate;
  medianHoursToFirstResponse: Rate;
  p90HoursToFirstResponse: Rate;
  medianHoursToResolution: Rate;
  p90HoursToResolution: Rate;
  byChannel: Record<string, number>;
  byPriority: Record<string, number>;
  breachesByTeam: Record<string, number>;
  repeatComplainants: number;
  targets?: Targets | null;
  met?: Record<string, boolean | null> | null;
}

export interface GroupPerformance {
  name: string;
  teams: string[];
  handled: number;
  withdrawn: number;
  firstResponseOnTimeRate: Rate;
  resolutionOnTimeRate: Rate;
  medianHandlingHours: Rate;
  satisfactionRate: Rate;
  reopenRate: Rate;
  accountability: { opened: number; reviewed: number; justified: number; unjustified: number };
}

export interface PerformanceReport {
  from: string;
  to: string;
  asOf: string;
  groupBy: "team" | "assignee";
  scope?: string[] | null;
  targets?: Targets | null;
  groups: GroupPerformance[];
}

export interface ReportView {
  id: string;
  period: string;
  status: "queued" | "building" | "ready" | "failed";
  requestedBy: string;
  requestedAt: string;
  completedAt?: string | null;
  error?: string | null;
  headline?: {
    received: number;
    firstResponseOnTimeRate: Rate;
    satisfactionRate: Rate;
    closureRate: Rate;
  } | null;
  links?: Record<string, string> | null;
  linksExpireAt?: string | null;
}

export interface Roster {
  team: string;
  members: { id: string; onDuty: boolean }[];
  updatedAt?: string | null;
  updatedBy?: string | null;
  version: number;
}

export type { AuditEvent } from "../api";

export interface NotificationRecord extends NotificationBase {
  eventName: string;
}

export interface AuditTrail {
  items: AuditEvent[];
  nextToken?: string | null;
  notifications?: NotificationRecord[];
}

export interface IntegrityReport {
  valid: boolean;
  events: number;
  firstBrokenAt: number | null;
}

export interface ErasureResult {
  customerId: string;
  complaints: number;
  events: number;
  notifications: number;
  erasedAt: string;
}

// --- calls -----------------------------------------------------------------------------------------

const enc = encodeURIComponent;

export function complaints(config: Config, filters: URLSearchParams): Promise<OversightComplaint[]> {
  return listComplaints(config, filters) as Promise<OversightComplaint[]>;
}

/** Compliance's list: the complaints with any of the risk flags, and the critical ones, asked separately
 * (the API's filters combine with AND; `flag` takes several, any of them), merged. */
export async function sensitiveComplaints(config: Config, flags: readonly string[]): Promise<OversightComplaint[]> {
  const queries = [new URLSearchParams({ flag: flags.join(",") }), new URLSearchParams({ priority: "critical" })];
  const lists = await Promise.all(queries.map((q) => complaints(config, q)));
  return mergeById(...lists);
}

export function complaint(config: Config, id: string): Promise<OversightComplaint> {
  return apiGet<OversightComplaint>(config, `/v1/complaints/${enc(id)}`);
}

export function accountability(config: Config, status: "open" | "reviewed", team: string): Promise<AccountabilityRecord[]> {
  const query = new URLSearchParams({ status });
  if (team) query.set("team", team);
  return listAll<AccountabilityRecord>(config, "/v1/accountability", query);
}

export function review(
  config: Config,
  record: AccountabilityRecord,
  finding: "justified" | "unjustified",
  action: string,
): Promise<AccountabilityRecord> {
  return apiSend<AccountabilityRecord>(config, "POST", `/v1/accountability/${enc(record.id)}/review`, {
    finding,
    action,
    ...(record.version !== undefined ? { version: record.version } : {}),
  });
}

export function followUps(config: Config, status: "open" | "completed", team: string, assignee: string): Promise<OversightComplaint[]> {
  const query = new URLSearchParams({ status });
  if (team) query.set("team", team);
  if (assignee) query.set("assignee", assignee);
  return listAll<OversightComplaint>(config, "/v1/follow-ups", query);
}

/** Take the follow-up (`undefined`: me), name who calls (a username) or give it back (`null`). */
export function assignFollowUp(config: Config, c: OversightComplaint, assignee: string | null | undefined) {
  const body = assignee === undefined ? {} : { assignee };
  return apiSend<OversightComplaint>(config, "POST", `/v1/complaints/${enc(c.id)}/follow-up/assignee`, body, c.version);
}

export function completeFollowUp(
  config: Config,
  c: OversightComplaint,
  outcome: string,
  notes: string,
  reopen: boolean,
): Promise<OversightComplaint> {
  return apiSend<OversightComplaint>(
    config,
    "POST",
    `/v1/complaints/${enc(c.id)}/follow-up`,
    { outcome, notes, reopen },
    c.version,
  );
}

export function roster(config: Config, team: string): Promise<Roster> {
  return apiGet<Roster>(config, `/v1/teams/${enc(team)}/members`);
}

export function saveRoster(config: Config, team: string, members: Roster["members"], version: number): Promise<Roster> {
  return apiSend<Roster>(config, "PUT", `/v1/teams/${enc(team)}/members`, { members, version });
}

export function kpis(config: Config, period: Period): Promise<KpiReport> {
  return apiGet<KpiReport>(config, "/v1/kpis", periodQuery(period));
}

export function performance(config: Config, period: Period, groupBy: "team" | "assignee"): Promise<PerformanceReport> {
  return apiGet<PerformanceReport>(config, "/v1/kpis", periodQuery(period, groupBy));
}

export function requestReport(config: Config, period: string): Promise<ReportView> {
  return apiSend<ReportView>(config, "POST", "/v1/reports", { period });
}

export function report(config: Config, id: string): Promise<ReportView> {
  return apiGet<ReportView>(config, `/v1/reports/${enc(id)}`);
}

export function trail(config: Config, id: string, nextToken?: string | null): Promise<AuditTrail> {
  const query = new URLSearchParams({ limit: "100" });
  if (nextToken) query.set("nextToken", nextToken);
  return apiGet<AuditTrail>(config, `/v1/complaints/${enc(id)}/events`, query);
}

export function integrity(config: Config, id: string): Promise<IntegrityReport> {
  return apiGet<IntegrityReport>(config, `/v1/complaints/${enc(id)}/integrity`);
}

/** Place (`hold`) or lift a legal hold, with the reason, at the version read. */
export function legalHold(config: Config, c: OversightComplaint, hold: boolean, reason: string): Promise<OversightComplaint> {
  return apiSend<OversightComplaint>(config, "POST", `/v1/complaints/${enc(c.id)}/legal-hold`, { hold, reason }, c.version);
}

export function erase(config: Config, customerId: string, reason: string): Promise<ErasureResult> {
  return apiSend<ErasureResult>(config, "POST", `/v1/customers/${enc(customerId)}/erasure`, { reason });
}
