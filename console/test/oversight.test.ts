// The oversight pages' pure helpers: who sees which page, the periods a manager picks, the order of
// escalations, the chart's scale, and the texts complete in both languages.

import assert from "node:assert/strict";
import { test } from "node:test";

import { en, zh } from "../src/oversight/texts";
import {
  atRisk,
  byEscalationThenDeadline,
  bySeverity,
  customPeriod,
  describeChanges,
  mayOpen,
  mergeById,
  needsAttention,
  niceMax,
  pageOf,
  percent,
  periodQuery,
  presetPeriod,
  quarterOf,
  reviewBar,
  recentQuarters,
  scale,
  ticks,
  topCounts,
  verdict,
} from "../src/oversight/logic";

import { complaint } from "./fixtures";

test("each page only for the roles the API lets use it", () => {
  assert.equal(mayOpen("accountability", ["supervisor", "team:cards"]), true);
  assert.equal(mayOpen("accountability", ["agent", "team:cards"]), false);
  assert.equal(mayOpen("kpis", ["supervisor"]), false);
  assert.equal(mayOpen("kpis", ["manager"]), true);
  assert.equal(mayOpen("performance", ["supervisor"]), true);
  assert.equal(mayOpen("erasure", ["manager"]), false);
  assert.equal(mayOpen("erasure", ["compliance"]), true);
  assert.equal(mayOpen("trail", ["supervisor"]), true);
  for (const page of ["escalations", "accountability", "kpis", "reports", "sensitive", "trail", "erasure"] as const) {
    assert.equal(mayOpen(page, ["agent"]), false, page);
  }
  assert.equal(pageOf("oversight/kpis"), "kpis");
  assert.equal(pageOf("oversight/follow-ups"), "follow-ups");
  assert.equal(pageOf("oversight"), "");
  assert.equal(pageOf("oversight/nothing"), "");
  assert.equal(pageOf("queue/mine"), null);
  assert.equal(pageOf("oversightx"), null);
});

test("nobody reviews their own handling or their own team's record", () => {
  const supervisor = { username: "sup-1", teams: ["cards", "intake"] };
  assert.equal(reviewBar({ assignee: "li.na", team: "collections" }, supervisor), null);
  assert.equal(reviewBar({ assignee: "li.na", team: "cards" }, supervisor), "team");
  assert.equal(reviewBar({ assignee: "unassigned", team: "unassigned" }, supervisor), "team");
  assert.equal(reviewBar({ assignee: "sup-1", team: "collections" }, supervisor), "handling");
  assert.equal(reviewBar({ assignee: "li.na", team: "cards" }, { username: "boss", teams: [] }), null);
});

test("preset periods in the viewer's zone, the API's `to` exclusive", () => {
  const now = new Date(2026, 11, 1, 15, 30); // 1 December 2026, local
  assert.deepEqual(presetPeriod("thisQuarter", now), { from: new Date(2026, 9, 1), to: new Date(2027, 0, 1) });
  assert.deepEqual(presetPeriod("lastQuarter", now), { from: new Date(2026, 6, 1), to: new Date(2026, 9, 1) });
  assert.deepEqual(presetPeriod("lastMonth", now), { from: new Date(2026, 10, 1), to: new Date(2026, 11, 1) });
  assert.deepEqual(presetPeriod("thisMonth", now), { from: new Date(2026, 11, 1), to: new Date(2027, 0, 1) });
  assert.deepEqual(presetPeriod("last30", now), { from: new Date(2026, 10, 2), to: new Date(2026, 11, 2) });
  const january = new Date(2027, 0, 10);
  assert.deepEqual(presetPeriod("lastQuarter", january), { from: new Date(2026, 9, 1), to: new Date(2027, 0, 1) });
  assert.deepEqual(presetPeriod("lastMonth", january), { from: new Date(2026, 11, 1), to: new Date(2027, 0, 1) });
});

test("a custom period: both days included, in order, at most 366 days", () => {
  assert.deepEqual(customPeriod("2026-07-01", "2026-09-30"), { from: new Date(2026, 6, 1), to: new Date(2026, 9, 1) });
  assert.deepEqual(customPeriod("2026-07-01", "2026-07-01"), { from: new Date(2026, 6, 1), to: new Date(2026, 6, 2) });
  assert.equal(customPeriod("2026-07-02", "2026-07-01"), "order");
  assert.equal(customPeriod("", "2026-07-01"), "invalid");
  assert.equal(customPeriod("2025-01-01", "2026-06-30"), "tooLong");
  assert.notEqual(typeof customPeriod("2026-01-01", "2026-12-31"), "string");
  const query = periodQuery({ from: new Date("2026-07-01T00:00:00Z"), to: new Date("2026-10-01T00:00:00Z") }, "team");
  assert.equal(query.toString(), "from=2026-07-01T00%3A00%3A00.000Z&to=2026-10-01T00%3A00%3A00.000Z&groupBy=team");
});

test("quarters in the bank's zone (UTC+8) for the reports", () => {
  assert.equal(quarterOf(new Date("2026-09-30T15:59:59Z")), "2026-Q3");
  assert.equal(quarterOf(new Date("2026-09-30T16:00:00Z")), "2026-Q4"); // midnight in Shanghai
  assert.deepEqual(recentQuarters(new Date("2027-02-01T00:00:00Z"), 4), ["2027-Q1", "2026-Q4", "2026-Q3", "2026-Q2"]);
});

test("escalated and at-risk complaints first, the highest level first", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  const calm = complaint({ id: "calm", reference: "calm" });
  const warned = complaint({ id: "warned", reference: "warned", atRiskWarned: { firstResponse: "2026-12-01T10:00:00Z" } });
  const overdue = complaint({
    id: "overdue",
    reference: "overdue",
    deadlines: { firstResponseDueAt: "2026-12-01T11:00:00Z", resolutionDueAt: "2026-12-03T00:00:00Z" },
  });
  const level2 = complaint({ id: "l2", reference: "l2", escalationLevel: 2 });
  const level1 = complaint({ id: "l1", reference: "l1", escalationLevel: 1 });
  const closed = complaint({ id: "closed", reference: "closed", status: "closed", escalationLevel: 3 });
  // a warning for a deadline already met does not count
  const oldWarning = complaint({
    id: "old",
    status: "in_progress",
    firstRespondedAt: "2026-12-01T01:00:00Z",
    atRiskWarned: { firstResponse: "2026-12-01T00:30:00Z" },
  });
  assert.equal(atRisk(warned, now), true);
  assert.equal(atRisk(overdue, now), true);
  assert.equal(atRisk(calm, now), false);
  assert.equal(atRisk(oldWarning, now), false);
  const all = [calm, warned, overdue, level2, level1, closed, oldWarning];
  const shown = all.filter((c) => needsAttention(c, now)).sort(byEscalationThenDeadline);
  assert.deepEqual(shown.map((c) => c.reference), ["l2", "l1", "overdue", "warned"]);
});

test("compliance's list: critical first, each complaint once", () => {
  const a = complaint({ id: "a", reference: "a", priority: "high" });
  const b = complaint({ id: "b", reference: "b", priority: "critical" });
  const c = complaint({ id: "c", reference: "c", priority: "high", escalationLevel: 2 });
  const merged = mergeById([a, b], [b, c], [a]);
  assert.deepEqual(merged.map((x) => x.id), ["a", "b", "c"]);
  assert.deepEqual(merged.sort(bySeverity).map((x) => x.id), ["b", "c", "a"]);
});

test("the chart's scale: round axis ends, even ticks, clamped bars", () => {
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(7), 10);
  assert.equal(niceMax(12), 20);
  assert.equal(niceMax(23), 25);
  assert.equal(niceMax(40), 50);
  assert.equal(niceMax(100), 100);
  assert.equal(niceMax(0.93), 1);
  assert.deepEqual(ticks(1), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(ticks(20, 4), [0, 5, 10, 15, 20]);
  assert.equal(scale(0.9, 1, 400), 360);
  assert.equal(scale(2, 1, 400), 400);
  assert.equal(scale(-1, 1, 400), 0);
  assert.equal(scale(5, 0, 400), 0);
});

test("rates against targets, read out in both languages", () => {
  assert.equal(percent(0.9166, "en"), "91.7 %");
  assert.equal(percent(1, "zh-CN"), "100%");
  assert.equal(percent(null), "—");
  assert.equal(verdict(0.9, 0.9), "met");
  assert.equal(verdict(0.899, 0.9), "missed");
  assert.equal(verdict(null, 0.9), "none");
  assert.equal(verdict(0.5, undefined), "none");
  assert.deepEqual(topCounts({ a: 1, b: 5, c: 5 }, 2), [["b", 5], ["c", 5]]);
  assert.equal(describeChanges({ status: { before: "received", after: "acknowledged" } }), "status: received → acknowledged");
  assert.equal(describeChanges({ assignee: { before: null, after: "li.na" } }), "assignee: ∅ → li.na");
});

test("every oversight text in both languages, with the same placeholders", () => {
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    assert.ok(zh[key], key);
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(names(zh[key]), names(en[key]), key);
  }
});
