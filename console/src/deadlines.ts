// Which deadline a complaint has to meet next, as the API's `dueBefore` filter reads it: the first
// response while unanswered, else the solution plan while owed, else the resolution.

import type { Complaint } from "./api";
import type { Key, Translate } from "./i18n";

export const OPEN = new Set(["received", "acknowledged", "in_progress", "awaiting_customer"]);

export interface NextDeadline {
  kind: "firstResponse" | "solutionPlan" | "resolution";
  at: Date;
}

export function nextDeadline(complaint: Complaint): NextDeadline | null {
  if (!OPEN.has(complaint.status)) return null;
  const { deadlines } = complaint;
  if (!complaint.firstRespondedAt) return { kind: "firstResponse", at: new Date(deadlines.firstResponseDueAt) };
  if (deadlines.solutionPlanDueAt && !complaint.solutionPlan) {
    return { kind: "solutionPlan", at: new Date(deadlines.solutionPlanDueAt) };
  }
  return { kind: "resolution", at: new Date(deadlines.resolutionDueAt) };
}

/** Soonest deadline first; complaints with none (closed, withdrawn) last, newest received first. */
export function byNextDeadline(a: Complaint, b: Complaint): number {
  const da = nextDeadline(a)?.at.getTime() ?? Number.POSITIVE_INFINITY;
  const db = nextDeadline(b)?.at.getTime() ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  return b.receivedAt.localeCompare(a.receivedAt);
}

/** "2 d 3 h", "3 h 20 min", "12 min": the two largest units. */
export function duration(ms: number, t: Translate): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(t("days", { n: days }));
  if (hours || days) parts.push(t("hours", { n: hours }));
  if (!days) parts.push(t("minutes", { n: rest }));
  return parts.join(" ");
}

export function timeLeft(deadline: NextDeadline, now: number, t: Translate): { text: string; overdue: boolean } {
  const ms = deadline.at.getTime() - now;
  return ms >= 0
    ? { text: t("left", { duration: duration(ms, t) }), overdue: false }
    : { text: t("overdue", { duration: duration(ms, t) }), overdue: true };
}

export function deadlineLabel(deadline: NextDeadline): Key {
  return `deadline_${deadline.kind}`;
}
