// The complaint page's calls of the v1 API (docs/openapi.json): the complaint, its trail and
// notification log, similar past cases, an attachment's download, and every change at the version read.

import { apiGet, apiSend, type AuditEvent, type Complaint, type LegalHold, type NotificationBase } from "../api";
import type { Config } from "../config";

export type CustomerLanguage = "zh-CN" | "en";

export interface Customer {
  customerId: string;
  name: string;
  phone?: string | null;
  email?: string | null;
  preferredContact?: string[];
  language?: CustomerLanguage;
  segment?: string;
  erased?: boolean;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  addedBy: string;
  addedAt: string;
  scanStatus: string;
}

export interface Triage {
  category: string;
  product: string;
  sentiment: { label: string; score: number };
  churnRisk: string;
  riskFlags?: string[];
  sensitive: boolean;
  suggestedTeam?: string | null;
  model: string;
  at: string;
}

export interface ComplaintLink {
  complaintId: string;
  reference: string;
  similarity: number;
  linkedAt: string;
}

export interface Redress {
  amount: number | string;
  currency?: string;
  description?: string | null;
}

export interface Resolution {
  outcome: string;
  summary: string;
  rootCause: string;
  redress?: Redress | null;
}

export interface CustomerRequest {
  receivedVia: string;
  receivedAt: string;
  recordedBy: string;
}

/** The complaint as GET /v1/complaints/{id} answers it: the queue's fields and the page's. */
export interface ComplaintDetail extends Omit<Complaint, "triage"> {
  subcategory?: string | null;
  product: string;
  complexity: string;
  customer: Customer;
  description: string;
  slaPolicy: string;
  resolvedAt?: string | null;
  closedAt?: string | null;
  withdrawnAt?: string | null;
  pauseNeeded?: string | null;
  closesAt?: string | null;
  extensions?: number;
  solutionPlan?: { plan: string; resolveBy: string; givenAt: string; givenBy: string; firstGivenAt: string } | null;
  resolution?: Resolution | null;
  customerAcceptance?: CustomerRequest | null;
  withdrawal?: CustomerRequest | null;
  attachments?: Attachment[];
  unclassified?: string[];
  triage?: Triage | null;
  links?: ComplaintLink[];
  libraryCase?: { title: string; lesson: string; markedBy: string; markedAt: string } | null;
  legalHold?: LegalHold | null;
}

export type { AuditEvent } from "../api";

export interface NotificationRecord extends NotificationBase {
  eventId: string;
  messageKey: string;
}

interface AuditTrail {
  items: AuditEvent[];
  nextToken?: string | null;
  notifications?: NotificationRecord[];
}

export interface SimilarCase {
  complaintId: string;
  reference: string;
  outcome: string;
  summary: string;
  rootCause: string;
  redress?: Redress | null;
  daysToResolve: number;
  rating?: number | null;
  similarity: number;
  libraryCase?: { title: string; lesson: string; tags: string[] } | null;
}

let policyZones: Promise<Record<string, string>> | null = null;

/** Each SLA policy's time zone (GET /v1/sla/policies), read once per page load; a failed read is tried
 * again next time. */
export function getPolicyZones(config: Config): Promise<Record<string, string>> {
  policyZones ??= apiGet<{ items: { name: string; timeZone: string }[] }>(config, "/v1/sla/policies").then(
    (answer) => Object.fromEntries(answer.items.map((clock) => [clock.name, clock.timeZone])),
    (e: unknown) => {
      policyZones = null;
      throw e;
    },
  );
  return policyZones;
}

export function getComplaint(config: Config, id: string): Promise<ComplaintDetail> {
  return apiGet<ComplaintDetail>(config, `/v1/complaints/${encodeURIComponent(id)}`);
}

/** The whole trail (a few pages at most) and the notification log of its first page. */
export async function getTrail(
  config: Config,
  id: string,
): Promise<{ events: AuditEvent[]; notifications: NotificationRecord[] }> {
  const events: AuditEvent[] = [];
  let notifications: NotificationRecord[] = [];
  let nextToken: string | null | undefined;
  let pages = 0;
  do {
    const query = new URLSearchParams({ limit: "100" });
    if (nextToken) query.set("nextToken", nextToken);
    const page = await apiGet<AuditTrail>(config, `/v1/complaints/${encodeURIComponent(id)}/events`, query);
    events.push(...page.items);
    if (pages === 0) notifications = page.notifications ?? [];
    nextToken = page.nextToken;
    pages += 1;
  } while (nextToken && pages < 10);
  return { events, notifications };
}

export async function getSimilar(config: Config, id: string): Promise<SimilarCase[]> {
  const answer = await apiGet<{ items: SimilarCase[] }>(
    config,
    `/v1/complaints/${encodeURIComponent(id)}/similar`,
    new URLSearchParams({ limit: "5" }),
  );
  return answer.items;
}

/** A 5-minute download of a clean (or, locally, unscanned) file; a 409 says why not. */
export async function attachmentUrl(config: Config, id: string, attachmentId: string): Promise<string> {
  const answer = await apiGet<{ url: string }>(
    config,
    `/v1/complaints/${encodeURIComponent(id)}/attachments/${encodeURIComponent(attachmentId)}`,
  );
  return answer.url;
}

/** The presigned S3 POST the API grants for one exact file (AttachmentUpload in the contract). */
interface AttachmentUpload {
  attachment: Attachment;
  upload: { method: "POST"; url: string; fields: Record<string, string>; expiresAt: string };
  complaintVersion: number;
}

/** S3 refused the file the API listed: the attachment stays listed, without a file, until scanned out. */
export class UploadFailed extends Error {}

/** List the file on the complaint at the version read, then post it straight to the attachments bucket
 * with the form the API signed (its fields first, the file last, as S3 requires). */
export async function attachFile(
  config: Config,
  id: string,
  file: File,
  contentType: string,
  version: number,
): Promise<AttachmentUpload> {
  const granted = await apiSend<AttachmentUpload>(
    config,
    "POST",
    `/v1/complaints/${encodeURIComponent(id)}/attachments`,
    { fileName: file.name, contentType, size: file.size },
    version,
  );
  const form = new FormData();
  for (const [name, value] of Object.entries(granted.upload.fields)) form.append(name, value);
  form.append("file", file);
  const stored = await fetch(granted.upload.url, { method: granted.upload.method, body: form });
  if (!stored.ok) {
    // S3 answers in XML: its <Message> says why (a policy condition, an expired form …).
    const said = /<Message>([^<]*)<\/Message>/.exec(await stored.text().catch(() => ""));
    throw new UploadFailed(said ? said[1] : `HTTP ${stored.status}`);
  }
  return granted;
}

export type Action =
  | "responses"
  | "pause"
  | "resume"
  | "extend"
  | "escalate"
  | "solution-plan"
  | "resolve"
  | "close"
  | "reopen"
  | "withdraw";

/** A lifecycle action at the version read (If-Match): the updated complaint, or the API's refusal. */
export function act(
  config: Config,
  id: string,
  action: Action,
  body: Record<string, unknown>,
  version: number,
): Promise<ComplaintDetail> {
  return apiSend<ComplaintDetail>(config, "POST", `/v1/complaints/${encodeURIComponent(id)}/${action}`, body, version);
}

/** Assignment and team (PATCH), at the version read. */
export function update(
  config: Config,
  id: string,
  body: Record<string, unknown>,
  version: number,
): Promise<ComplaintDetail> {
  return apiSend<ComplaintDetail>(config, "PATCH", `/v1/complaints/${encodeURIComponent(id)}`, body, version);
}

/** Make a resolved or closed complaint a case of the library (the version read, in the body). */
export function addToLibrary(
  config: Config,
  id: string,
  body: { title: string; lesson: string; tags: string[] },
  version: number,
): Promise<unknown> {
  return apiSend(config, "POST", "/v1/cases", { complaintId: id, ...body, version });
}
