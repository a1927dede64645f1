// What the complaint page works out from the complaint, with no browser and no API: which actions the
// viewer's role allows (core/access's rules), the deadlines and their state, the policy's time zone,
// the timeline, the message templates and what an API refusal means for the form that sent it.

import { ApiError } from "../api";
import type { Identity } from "../auth";
import { OPEN } from "../deadlines";
import type { AuditEvent, ComplaintDetail, CustomerLanguage, NotificationRecord } from "./api";

// --- who may do what (layers/shared/python/complaints/core/access.py) ------------------------------

export const INTAKE_TEAM = "intake";
const WORKERS = new Set(["agent", "supervisor", "manager"]);
const EXTENDERS = new Set(["supervisor", "manager"]);

export interface Allowed {
  respond: boolean;
  note: boolean;
  assign: boolean;
  pause: boolean;
  resume: boolean;
  extend: boolean;
  escalate: boolean;
  solutionPlan: boolean;
  resolve: boolean;
  close: boolean;
  withdraw: boolean;
  reopen: boolean;
  attach: boolean;
  library: boolean;
}

export const ACTIONS: readonly (keyof Allowed)[] = [
  "respond",
  "note",
  "assign",
  "pause",
  "resume",
  "extend",
  "escalate",
  "solutionPlan",
  "resolve",
  "close",
  "withdraw",
  "reopen",
  "attach",
  "library",
];

/** The policies whose clock may stop while the bank waits on the customer (the others answer 409). */
const PAUSING_POLICIES = new Set(["seed"]);

/** The actions the viewer may take on the complaint now: their role and teams (agents and supervisors
 * work their teams' complaints, managers theirs too and read any; supervisors and managers extend and
 * make library cases; compliance only adds notes), and what the complaint's status allows. */
export function allowedActions(identity: Pick<Identity, "role" | "teams">, complaint: ComplaintDetail): Allowed {
  const role = identity.role ?? "";
  const inTeam = identity.teams.includes(complaint.team ?? INTAKE_TEAM);
  const work = WORKERS.has(role) && inTeam;
  const open = OPEN.has(complaint.status);
  const resolved = complaint.status === "resolved";
  const ended = resolved || complaint.status === "closed";
  return {
    respond: work && open,
    note: (work || role === "compliance") && (open || resolved),
    assign: work && open,
    pause:
      work &&
      (complaint.status === "acknowledged" || complaint.status === "in_progress") &&
      PAUSING_POLICIES.has(complaint.slaPolicy),
    resume: work && complaint.status === "awaiting_customer",
    extend: EXTENDERS.has(role) && inTeam && open,
    escalate: work && open && complaint.escalationLevel < 3,
    solutionPlan: work && open && Boolean(complaint.deadlines.solutionPlanDueAt),
    resolve: work && open,
    close: work && resolved,
    withdraw: work && open,
    // The customer disputes the outcome to staff within the cooling-off period (until closesAt); a
    // closed complaint is a new complaint.
    reopen: work && resolved,
    attach: work && (open || resolved),
    library:
      ended &&
      !complaint.libraryCase &&
      (role === "manager" || (role === "supervisor" && inTeam)),
  };
}

// --- deadlines and time zones -----------------------------------------------------------------------

/** Each SLA policy's time zone, as GET /v1/sla/policies gives it: its day-based deadlines end at
 * 23:59:59 there, and the customer knows its dates there. */
export type PolicyZones = Record<string, string>;

/** The policy's zone; null while the zones are not known (the page then shows the viewer's only). */
export function policyZone(policy: string, zones: PolicyZones | null): string | null {
  return zones?.[policy] ?? null;
}

export type DeadlineKind = "firstResponse" | "solutionPlan" | "resolution";
export type DeadlineState = "met" | "late" | "running" | "overdue" | "paused" | "ended";

export interface DeadlineRow {
  kind: DeadlineKind;
  due: Date;
  state: DeadlineState;
  /** when it was met (the first response, the first plan, the resolution) */
  doneAt: Date | null;
}

function when(value: string | null | undefined): Date | null {
  return value ? new Date(value) : null;
}

/** Each deadline of the complaint, met (on time or late), running, overdue, paused or no longer owed. */
export function deadlineRows(complaint: ComplaintDetail, now: number): DeadlineRow[] {
  const { deadlines } = complaint;
  const rows: { kind: DeadlineKind; due: string; done: Date | null }[] = [
    { kind: "firstResponse", due: deadlines.firstResponseDueAt, done: when(complaint.firstRespondedAt) },
  ];
  if (deadlines.solutionPlanDueAt) {
    rows.push({
      kind: "solutionPlan",
      due: deadlines.solutionPlanDueAt,
      done: when(complaint.solutionPlan?.firstGivenAt),
    });
  }
  const resolvedAt = complaint.status === "resolved" || complaint.status === "closed" ? complaint.resolvedAt : null;
  rows.push({ kind: "resolution", due: deadlines.resolutionDueAt, done: when(resolvedAt) });
  const open = OPEN.has(complaint.status);
  return rows.map(({ kind, due, done }) => {
    const at = new Date(due);
    let state: DeadlineState;
    if (done) state = done.getTime() <= at.getTime() ? "met" : "late";
    else if (!open) state = "ended";
    else if (complaint.status === "awaiting_customer") state = "paused";
    else state = at.getTime() < now ? "overdue" : "running";
    return { kind, due: at, state, doneAt: done };
  });
}

/** A time as the viewer reads it in `zone`. */
export function formatIn(date: Date, lang: string, zone: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(date);
}

/** The time in the viewer's zone and, when it reads differently there, in the policy's. */
export function bothZones(
  date: Date,
  lang: string,
  viewerZone: string,
  policyZone: string | null,
): { viewer: string; policy: string | null } {
  const viewer = formatIn(date, lang, viewerZone);
  const there = policyZone ? formatIn(date, lang, policyZone) : viewer;
  return { viewer, policy: there === viewer ? null : there };
}

// --- the timeline ---------------------------------------------------------------------------------

export type TimelineEntry =
  | { type: "event"; at: string; event: AuditEvent }
  | { type: "message"; at: string; notification: NotificationRecord };

/** The audit trail and the messages sent (the notification log, staff alerts left out), newest first. */
export function timeline(events: AuditEvent[], notifications: NotificationRecord[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...events.map((event) => ({ type: "event" as const, at: event.at, event })),
    ...notifications
      .filter((n) => n.channel !== "staff")
      .map((notification) => ({ type: "message" as const, at: notification.at, notification })),
  ];
  return entries.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? 1 : -1));
}

/** What an event's data says in words: the message or note, the reason, what was needed. */
export function eventText(event: AuditEvent): string | null {
  const data = event.data ?? {};
  for (const key of ["message", "plan", "reason", "needed", "summary", "lesson"]) {
    const value = data[key];
    if (typeof value === "string" && value) return value;
  }
  const resolution = event.changes?.resolution?.after as { summary?: string } | null | undefined;
  return resolution?.summary ?? null;
}

const SHOWN_CHANGES = ["status", "assignee", "team", "priority", "category", "product", "complexity", "escalationLevel"];

/** The fields a change moved that a handler cares about: "assignee: — → li.na · status: received → acknowledged". */
export function changeSummary(event: AuditEvent): string {
  if (event.action === "receive") return "";
  const shown = (value: unknown) => (value === null || value === undefined || value === "" ? "—" : String(value));
  return SHOWN_CHANGES.filter((field) => event.changes?.[field])
    .map((field) => {
      const change = event.changes?.[field] ?? {};
      return `${field}: ${shown(change.before)} → ${shown(change.after)}`;
    })
    .join(" · ");
}

// --- message templates in the customer's language ----------------------------------------------

export type TemplateId = "acknowledge" | "investigating" | "needInfo" | "outcome";
export const TEMPLATE_IDS: readonly TemplateId[] = ["acknowledge", "investigating", "needInfo", "outcome"];

const TEMPLATES: Record<CustomerLanguage, Record<TemplateId, string>> = {
  "zh-CN": {
    acknowledge:
      "{name}您好，我们已收到您的投诉（编号 {reference}），将由专人跟进处理，并在承诺时限内答复您。感谢您的耐心。",
    investigating:
      "{name}您好，关于您的投诉（编号 {reference}），我们正在核查相关交易和记录，核查完毕后会第一时间告知您处理结果。",
    needInfo:
      "{name}您好，为继续处理您的投诉（编号 {reference}），请提供以下材料：……。收到后我们将立即继续处理。",
    outcome:
      "{name}您好，关于您的投诉（编号 {reference}），经核查，处理结果如下：……。如有疑问，请随时联系我们。",
  },
  en: {
    acknowledge:
      "Dear {name}, we have received your complaint (reference {reference}). A handler is looking into it and will answer you within the time we promised. Thank you for your patience.",
    investigating:
      "Dear {name}, about your complaint (reference {reference}): we are checking the transactions and records concerned and will tell you the outcome as soon as we have it.",
    needInfo:
      "Dear {name}, to go on with your complaint (reference {reference}) we need the following from you: …. We will continue as soon as we receive it.",
    outcome:
      "Dear {name}, about your complaint (reference {reference}): having looked into it, our answer is: …. Please contact us if anything is unclear.",
  },
};

/** A template in the customer's language (zh-CN unless they chose English), filled in. */
export function template(id: TemplateId, complaint: Pick<ComplaintDetail, "customer" | "reference">): string {
  const lang: CustomerLanguage = complaint.customer.language === "en" ? "en" : "zh-CN";
  return TEMPLATES[lang][id]
    .replaceAll("{name}", complaint.customer.erased ? "" : complaint.customer.name)
    .replaceAll("{reference}", complaint.reference);
}

// --- what an API refusal means for the form that sent it ----------------------------------------

export type Problem =
  | { kind: "stale"; message: string }
  | { kind: "invalid"; message: string; fields: Record<string, string> }
  | { kind: "refused"; message: string; code: string; status: number }
  | { kind: "other"; message: string };

/** A 409 version_conflict: someone changed it since it was read; a 400: the fields the API's message
 * names ("summary: …; rootCause: …"); any other refusal with the API's own words. */
/** What the form itself refuses before asking the API: the field, and why. */
export class InvalidChoice extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function problemOf(error: unknown): Problem {
  if (error instanceof InvalidChoice) {
    return { kind: "invalid", message: `${error.field}: ${error.message}`, fields: { [error.field]: error.message } };
  }
  if (error instanceof ApiError) {
    if (error.status === 409 && error.code === "version_conflict") return { kind: "stale", message: error.message };
    if (error.status === 400) {
      const fields: Record<string, string> = {};
      for (const part of error.message.split("; ")) {
        const match = /^([\w.[\]]+): (.+)$/.exec(part.trim());
        if (match) fields[match[1].split(".")[0]] = match[2];
      }
      return { kind: "invalid", message: error.message, fields };
    }
    return { kind: "refused", message: error.message, code: error.code, status: error.status };
  }
  return { kind: "other", message: error instanceof Error ? error.message : String(error) };
}

/** A datetime-local value (the viewer's zone) as the API's UTC ISO-8601; "" stays "". */
export function isoFromLocal(value: string): string {
  if (!value) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

/** Now as a datetime-local value in the viewer's zone (a default for "when it reached the bank"). */
export function localNow(now: Date = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

// --- attachments (complaints/attachments/rules.py: the API decides; this spares a doomed upload) ------

/** The types the API takes, by the file name's extension (a browser often knows no type for .heic). */
const ATTACHMENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  heic: "image/heic",
  txt: "text/plain",
};
export const ATTACHMENT_ACCEPT = Object.keys(ATTACHMENT_TYPES)
  .map((extension) => `.${extension}`)
  .join(",");
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** The Content-Type a file is declared with, from its name; null for a type the API refuses. */
export function attachmentType(fileName: string): string | null {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? null : (ATTACHMENT_TYPES[fileName.slice(dot + 1).toLowerCase()] ?? null);
}
