// The queues' order and "time left": the next unmet deadline as the API's dueBefore reads it.

import assert from "node:assert/strict";
import { test } from "node:test";

import { byNextDeadline, duration, nextDeadline, timeLeft } from "../src/deadlines";
import { translator } from "../src/i18n";

import { complaint } from "./fixtures";

test("first response while unanswered, then a plan while owed, then the resolution", () => {
  assert.equal(nextDeadline(complaint({}))?.kind, "firstResponse");
  const answered = { status: "in_progress", firstRespondedAt: "2026-12-01T01:00:00Z" };
  assert.equal(nextDeadline(complaint(answered))?.kind, "resolution");
  const owed = {
    firstResponseDueAt: "2026-12-02T00:00:00Z",
    resolutionDueAt: "2026-12-15T00:00:00Z",
    solutionPlanDueAt: "2026-12-03T00:00:00Z",
  };
  assert.equal(nextDeadline(complaint({ ...answered, deadlines: owed }))?.kind, "solutionPlan");
  const planned = { ...answered, deadlines: owed, solutionPlan: { resolveBy: "2026-12-10T00:00:00Z" } };
  assert.equal(nextDeadline(complaint(planned))?.kind, "resolution");
  for (const status of ["resolved", "closed", "withdrawn"]) {
    assert.equal(nextDeadline(complaint({ status })), null);
  }
});

test("the soonest deadline first, complaints without one last", () => {
  const later = complaint({ reference: "later" });
  const sooner = complaint({
    reference: "sooner",
    deadlines: { firstResponseDueAt: "2026-12-01T04:00:00Z", resolutionDueAt: "2026-12-02T00:00:00Z" },
  });
  const closed = complaint({ reference: "closed", status: "closed" });
  assert.deepEqual(
    [closed, later, sooner].sort(byNextDeadline).map((c) => c.reference),
    ["sooner", "later", "closed"],
  );
});

test("time left and overdue, in both languages", () => {
  const en = translator("en");
  const zh = translator("zh-CN");
  const hour = 3_600_000;
  assert.equal(duration(2 * 24 * hour + 3 * hour + 5 * 60_000, en), "2 d 3 h");
  assert.equal(duration(3 * hour + 20 * 60_000, en), "3 h 20 min");
  assert.equal(duration(12 * 60_000, en), "12 min");
  const due = { kind: "resolution" as const, at: new Date(10 * hour) };
  assert.deepEqual(timeLeft(due, 7 * hour, en), { text: "3 h 0 min left", overdue: false });
  assert.deepEqual(timeLeft(due, 12 * hour, en), { text: "2 h 0 min overdue", overdue: true });
  assert.equal(timeLeft(due, 12 * hour, zh).text, "已超时 2 小时 0 分钟");
});
