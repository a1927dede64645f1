// The oversight pages' pure helpers: who may open which page, the periods a manager picks, the order
// of escalations, and the arithmetic of the charts. No DOM, no fetch: the unit tests run them in Node.

import type { Complaint } from "../api";
import { nextDeadline, OPEN } from "../deadlines";

// --- pages and roles -------------------------------------------------------------------------------

export type OversightPage =
  | "escalations"
  | "accountability"
  | "follow-ups"
  | "roster"
  | "performance"
  | "kpis"
  | "reports"
  | "sensitive"
  | "trail"
  | "erasure";

/** Who the API lets use each page (docs/architecture.md §1): a link is shown to them only, and anyone
 * else opening the address is told why not. */
export const PAGE_ROLES: Record<OversightPage, readonly string[]> = {
  escalations: ["supervisor", "manager"], // list complaints: their teams' (supervisor), every (manager)
  accountability: ["supervisor", "manager"], // open and review accountability records
  "follow-ups": ["supervisor", "manager"], // take, assign and complete follow-ups
  roster: ["supervisor", "manager"], // keep a team's roster (PUT …/members)
  performance: ["supervisor", "manager"], // GET /v1/kpis?groupBy= (supervisors: their teams)
  kpis: ["manager"], // read reports: KPIs
  reports: ["manager"], // read reports: the quarterly ones
  sensitive: ["compliance", "manager"], // list every complaint
  trail: ["compliance", "manager", "supervisor"], // read audit trails and verify them
  erasure: ["compliance"], // erase a customer's personal data
};

export const PAGES = Object.keys(PAGE_ROLES) as OversightPage[];

export function mayOpen(page: OversightPage, groups: readonly string[]): boolean {
  return PAGE_ROLES[page].some((role) => groups.includes(role));
}

/** The page a path under /console/ names ("oversight/kpis" → "kpis"), null when not an oversight path,
 * "" for an oversight path naming no page. */
export function pageOf(path: string): OversightPage | "" | null {
  if (path !== "oversight" && !path.startsWith("oversight/")) return null;
  const name = path.slice("oversight/".length).split("/")[0] ?? "";
  return (PAGES as string[]).includes(name) ? (name as OversightPage) : "";
}

/** Why the API would refuse this viewer's review of a record: nobody reviews their own handling, nor a
 * record of their own team (a complaint with no team is the intake queue's). Null: they may. */
export function reviewBar(
  record: { assignee: string; team: string },
  viewer: { username: string; teams: readonly string[] },
): "handling" | "team" | null {
  if (record.assignee === viewer.username) return "handling";
  const team = record.team === "unassigned" ? "intake" : record.team;
  return viewer.teams.includes(team) ? "team" : null;
}

// --- periods ---------------------------------------------------------------------------------------

export interface Period {
  from: Date; // inclusive
  to: Date; // exclusive
}

export type Preset = "thisMonth" | "lastMonth" | "thisQuarter" | "lastQuarter" | "last30" | "thisYear";
export const PRESETS: readonly Preset[] = ["thisMonth", "lastMonth", "thisQuarter", "lastQuarter", "last30", "thisYear"];
export const MAX_PERIOD_DAYS = 366; // the API reads at most this long a period in one request

/** A preset period in the viewer's time zone, as of `now`. "This …" runs up to the end of the month,
 * quarter or year (the API counts what was received until now). */
export function presetPeriod(preset: Preset, now: Date): Period {
  const y = now.getFullYear();
  const m = now.getMonth();
  const q = Math.floor(m / 3) * 3;
  switch (preset) {
    case "thisMonth":
      return { from: new Date(y, m, 1), to: new Date(y, m + 1, 1) };
    case "lastMonth":
      return { from: new Date(y, m - 1, 1), to: new Date(y, m, 1) };
    case "thisQuarter":
      return { from: new Date(y, q, 1), to: new Date(y, q + 3, 1) };
    case "lastQuarter":
      return { from: new Date(y, q - 3, 1), to: new Date(y, q, 1) };
    case "last30": {
      const today = new Date(y, m, now.getDate());
      return { from: new Date(y, m, now.getDate() - 29), to: new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1) };
    }
    case "thisYear":
      return { from: new Date(y, 0, 1), to: new Date(y + 1, 0, 1) };
  }
}

/** "2026-12-01" as the viewer's local midnight. */
export function localDate(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date input's value for a local date. */
export function dateInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export type PeriodProblem = "invalid" | "order" | "tooLong";

/** The period of two date inputs, both days included (the API's `to` is exclusive: the next midnight). */
export function customPeriod(fromText: string, toText: string): Period | PeriodProblem {
  const from = localDate(fromText);
  const last = localDate(toText);
  if (!from || !last) return "invalid";
  const to = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  if (to <= from) return "order";
  if ((to.getTime() - from.getTime()) / 86_400_000 > MAX_PERIOD_DAYS + 1) return "tooLong";
  return { from, to };
}

/** The query of GET /v1/kpis for a period (ISO instants, so the viewer's midnight is meant). */
export function periodQuery(period: Period, groupBy?: "team" | "assignee"): URLSearchParams {
  const query = new URLSearchParams({ from: period.from.toISOString(), to: period.to.toISOString() });
  if (groupBy) query.set("groupBy", groupBy);
  return query;
}

/** The quarter a date falls in, as the reports name it ("2026-Q4"), in the bank's zone (UTC+8, the
 * reports' Asia/Shanghai, which keeps no daylight saving). */
export function quarterOf(date: Date): string {
  const shanghai = new Date(date.getTime() + 8 * 3_600_000);
  return `${shanghai.getUTCFullYear()}-Q${Math.floor(shanghai.getUTCMonth() / 3) + 1}`;
}

/** The quarters a report may be asked for (each has begun), newest first: this one and `count − 1` before. */
export function recentQuarters(now: Date, count: number): string[] {
  const [year, quarter] = quarterOf(now).split("-Q").map(Number) as [number, number];
  const found: string[] = [];
  for (let i = 0; i < count; i++) {
    const index = year * 4 + (quarter - 1) - i;
    found.push(`${Math.floor(index / 4)}-Q${(index % 4) + 1}`);
  }
  return found;
}

// --- escalations and risk --------------------------------------------------------------------------

/** Overdue, or warned at 80 % of the deadline it has to meet next (the sweep's `atRiskWarned`). */
export function atRisk(complaint: Complaint & { atRiskWarned?: Record<string, string> | null }, now: number): boolean {
  const next = nextDeadline(complaint);
  if (!next) return false;
  if (next.at.getTime() <= now) return true;
  return Boolean(complaint.atRiskWarned?.[next.kind]);
}

/** What a supervisor looks at first: open complaints escalated (level ≥ 1) or at risk. */
export function needsAttention(complaint: Complaint, now: number): boolean {
  return OPEN.has(complaint.status) && (complaint.escalationLevel >= 1 || atRisk(complaint, now));
}

/** The highest escalation level first, then the soonest next deadline. */
export function byEscalationThenDeadline(a: Complaint, b: Complaint): number {
  if (a.escalationLevel !== b.escalationLevel) return b.escalationLevel - a.escalationLevel;
  const da = nextDeadline(a)?.at.getTime() ?? Number.POSITIVE_INFINITY;
  const db = nextDeadline(b)?.at.getTime() ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  return b.receivedAt.localeCompare(a.receivedAt);
}

const PRIORITY_RANK: Record<string, number> = { critical: 0, high: 1, normal: 2 };

/** Compliance's list: critical first, then escalated, then newest received. */
export function bySeverity(a: Complaint, b: Complaint): number {
  const pa = PRIORITY_RANK[a.priority] ?? 3;
  const pb = PRIORITY_RANK[b.priority] ?? 3;
  if (pa !== pb) return pa - pb;
  if (a.escalationLevel !== b.escalationLevel) return b.escalationLevel - a.escalationLevel;
  return b.receivedAt.localeCompare(a.receivedAt);
}

/** Several listings as one, each complaint once (the API's filters combine with AND; these are OR). */
export function mergeById<T extends { id: string }>(...lists: T[][]): T[] {
  const seen = new Map<string, T>();
  for (const list of lists) for (const item of list) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()];
}

// --- charts ----------------------------------------------------------------------------------------

/** A round upper bound for an axis: 1, 2, 2.5, 5 or 10 times a power of ten, at least `max` (and 1 for
 * nothing to show). */
export function niceMax(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max - 1e-9) return step * power;
  return 10 * power;
}

/** `count` + 1 evenly spaced ticks from 0 to `max`. */
export function ticks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => Math.round((max * i * 1e6) / count) / 1e6);
}

/** A value's length on an axis `length` long from 0 to `max`, clamped to the axis. */
export function scale(value: number, max: number, length: number): number {
  if (!(max > 0)) return 0;
  return Math.max(0, Math.min(length, (value / max) * length));
}

/** A rate as a percentage with one decimal at most ("92.3 %"), "—" for none. */
export function percent(rate: number | null | undefined, lang = "en"): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return "—";
  const text = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(rate * 100);
  return lang.startsWith("zh") ? `${text}%` : `${text} %`;
}

/** Met, missed, or nothing to say (no value or no target). */
export function verdict(value: number | null | undefined, target: number | null | undefined): "met" | "missed" | "none" {
  if (value === null || value === undefined || target === null || target === undefined) return "none";
  return value + 1e-9 >= target ? "met" : "missed";
}

/** The targets of the seed policy, used only when a response carries none. */
export const DEFAULT_TARGETS = { firstResponseOnTimeRate: 0.9, satisfactionRate: 0.85, closureRate: 0.95 };

/** Counts by name (byChannel …), largest first, at most `limit`. */
export function topCounts(counts: Record<string, number> | null | undefined, limit = 10): [string, number][] {
  return Object.entries(counts ?? {})
    .filter(([, n]) => typeof n === "number")
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit);
}

/** An audit event's changed fields, "field: before → after", shortened. */
export function describeChanges(changes: Record<string, { before?: unknown; after?: unknown }> | null | undefined): string {
  const show = (v: unknown): string => {
    if (v === null || v === undefined) return "∅";
    const text = typeof v === "string" ? v : JSON.stringify(v);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  };
  return Object.entries(changes ?? {})
    .map(([field, change]) => `${field}: ${show(change?.before)} → ${show(change?.after)}`)
    .join("; ");
}
