// The complaint page's pure helpers: which actions a role may take (core/access's rules), the deadlines'
// state, the policy's time zone, the timeline, the templates and what an API refusal means for a form.

import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError } from "../src/api";
import type { AuditEvent, ComplaintDetail, NotificationRecord } from "../src/complaint/api";
import {
  ACTIONS,
  type Allowed,
  allowedActions,
  attachmentType,
  InvalidChoice,
  bothZones,
  changeSummary,
  deadlineRows,
  policyZone,
  problemOf,
  template,
  TEMPLATE_IDS,
  timeline,
} from "../src/complaint/model";
import { en, zh } from "../src/complaint/texts";

function complaint(overrides: Partial<ComplaintDetail> = {}): ComplaintDetail {
  return {
    id: "c-1",
    reference: "CG-261201-ABCDEF",
    status: "in_progress",
    channel: "counter",
    category: "service",
    product: "deposit",
    complexity: "simple",
    priority: "normal",
    customer: { customerId: "C-1", name: "Li Lei", language: "zh-CN" },
    description: "…",
    slaPolicy: "seed",
    receivedAt: "2026-12-01T00:00:00Z",
    deadlines: { firstResponseDueAt: "2026-12-02T00:00:00Z", resolutionDueAt: "2026-12-03T00:00:00Z" },
    firstRespondedAt: "2026-12-01T02:00:00Z",
    team: "cards",
    escalationLevel: 0,
    version: 3,
    ...overrides,
  };
}

const agent = { role: "agent", teams: ["cards"] };
const supervisor = { role: "supervisor", teams: ["cards"] };
const manager = { role: "manager", teams: [] };
const compliance = { role: "compliance", teams: [] };

function shown(allowed: Allowed): string[] {
  return ACTIONS.filter((name) => allowed[name]);
}

test("an agent works their team's open complaint but does not extend or make library cases", () => {
  const allowed = allowedActions(agent, complaint());
  assert.deepEqual(shown(allowed), [
    "respond",
    "note",
    "assign",
    "pause",
    "escalate",
    "resolve",
    "withdraw",
    "attach",
  ]);
  assert.equal(allowed.extend, false);
  assert.equal(allowedActions(agent, complaint({ status: "resolved" })).library, false);
});

test("another team's complaint: an agent or supervisor may do nothing", () => {
  assert.deepEqual(shown(allowedActions(agent, complaint({ team: "collections" }))), []);
  assert.deepEqual(shown(allowedActions(supervisor, complaint({ team: "collections" }))), []);
});

test("a complaint with no team is the intake queue's", () => {
  assert.equal(allowedActions(agent, complaint({ team: null })).resolve, false);
  assert.equal(allowedActions({ role: "agent", teams: ["intake"] }, complaint({ team: null })).resolve, true);
});

test("supervisors extend and make a resolved complaint of their team a library case", () => {
  assert.equal(allowedActions(supervisor, complaint()).extend, true);
  const resolved = complaint({ status: "resolved" });
  assert.deepEqual(shown(allowedActions(supervisor, resolved)), ["note", "close", "reopen", "attach", "library"]);
  assert.equal(allowedActions(supervisor, { ...resolved, libraryCase: { title: "t", lesson: "l", markedBy: "s", markedAt: "x" } }).library, false);
  assert.equal(allowedActions(supervisor, complaint({ status: "closed" })).library, true);
});

test("managers make any team's resolved complaint a library case but work only their teams'", () => {
  const allowed = allowedActions(manager, complaint({ status: "resolved" }));
  assert.deepEqual(shown(allowed), ["library"]);
  assert.equal(allowedActions(manager, complaint()).resolve, false);
});

test("compliance only adds notes, on any complaint", () => {
  assert.deepEqual(shown(allowedActions(compliance, complaint({ team: "collections" }))), ["note"]);
  assert.deepEqual(shown(allowedActions(compliance, complaint({ status: "closed" }))), []);
});

test("the status decides: resume while paused, no pause where the policy stops no clock, a plan when owed", () => {
  const paused = allowedActions(agent, complaint({ status: "awaiting_customer" }));
  assert.equal(paused.resume, true);
  assert.equal(paused.pause, false);
  assert.equal(allowedActions(agent, complaint({ slaPolicy: "cbirc-2020" })).pause, false);
  assert.equal(allowedActions(agent, complaint()).solutionPlan, false);
  const owed = complaint({
    deadlines: { ...complaint().deadlines, solutionPlanDueAt: "2026-12-03T00:00:00Z" },
  });
  assert.equal(allowedActions(agent, owed).solutionPlan, true);
  assert.equal(allowedActions(agent, complaint({ escalationLevel: 3 })).escalate, false);
  for (const status of ["closed", "withdrawn"]) {
    assert.deepEqual(shown(allowedActions(supervisor, complaint({ status }))), status === "closed" ? ["library"] : []);
  }
});

test("each deadline met, late, running, overdue, paused or no longer owed", () => {
  const now = Date.parse("2026-12-02T12:00:00Z");
  const rows = deadlineRows(complaint(), now);
  assert.deepEqual(
    rows.map((r) => [r.kind, r.state]),
    [
      ["firstResponse", "met"],
      ["resolution", "running"],
    ],
  );
  const late = deadlineRows(complaint({ firstRespondedAt: "2026-12-02T01:00:00Z" }), Date.parse("2026-12-03T01:00:00Z"));
  assert.deepEqual(late.map((r) => r.state), ["late", "overdue"]);
  assert.deepEqual(deadlineRows(complaint({ status: "awaiting_customer" }), now).map((r) => r.state), ["met", "paused"]);
  const withdrawn = complaint({ status: "withdrawn", firstRespondedAt: null });
  assert.deepEqual(deadlineRows(withdrawn, now).map((r) => r.state), ["ended", "ended"]);
  const resolved = complaint({ status: "resolved", resolvedAt: "2026-12-02T00:00:00Z" });
  assert.equal(deadlineRows(resolved, now)[1].state, "met");
  const plan = complaint({
    deadlines: { ...complaint().deadlines, solutionPlanDueAt: "2026-12-02T00:00:00Z" },
  });
  assert.deepEqual(deadlineRows(plan, now).map((r) => r.kind), ["firstResponse", "solutionPlan", "resolution"]);
});

test("the policy's zone, shown only where the time reads differently there", () => {
  const zones = { seed: "Asia/Shanghai", "fca-disp": "Europe/London" };
  assert.equal(policyZone("fca-disp", zones), "Europe/London");
  assert.equal(policyZone("cfpb", zones), null);
  assert.equal(policyZone("seed", null), null);
  const at = new Date("2026-12-01T15:59:59Z");
  const seen = bothZones(at, "en", "UTC", "Asia/Shanghai");
  assert.match(seen.viewer, /3:59/);
  assert.match(seen.policy ?? "", /11:59/);
  assert.equal(bothZones(at, "en", "Asia/Shanghai", "Asia/Shanghai").policy, null);
  // zones not known (yet): the viewer's time alone
  assert.deepEqual(bothZones(at, "en", "UTC", null), { viewer: seen.viewer, policy: null });
});

test("the timeline: events and messages sent to the customer, newest first, staff alerts left out", () => {
  const event = (id: string, at: string, action: string): AuditEvent => ({
    id,
    version: 1,
    action,
    at,
    actor: { id: "local-agent", roles: ["agent"] },
  });
  const sent = (at: string, channel: string): NotificationRecord => ({
    eventId: "e",
    messageKey: `response:${channel}`,
    kind: "response",
    channel,
    recipient: "+86139****0000",
    status: "sent",
    at,
  });
  const entries = timeline(
    [event("a", "2026-12-01T00:00:00Z", "receive"), event("b", "2026-12-01T02:00:00Z", "respond")],
    [sent("2026-12-01T02:00:01Z", "sms"), sent("2026-12-01T02:00:01Z", "staff")],
  );
  assert.deepEqual(
    entries.map((e) => e.type),
    ["message", "event", "event"],
  );
});

test("a change's summary names the fields a handler cares about, before and after", () => {
  const event: AuditEvent = {
    id: "e",
    version: 2,
    action: "update",
    at: "2026-12-01T00:00:00Z",
    actor: { id: "local-agent", roles: ["agent"] },
    changes: {
      assignee: { before: null, after: "local-agent" },
      status: { before: "acknowledged", after: "in_progress" },
      updatedAt: { before: "x", after: "y" },
    },
  };
  assert.equal(changeSummary(event), "status: acknowledged → in_progress · assignee: — → local-agent");
  assert.equal(changeSummary({ ...event, action: "receive" }), "");
});

test("templates in the customer's language, filled in", () => {
  for (const id of TEMPLATE_IDS) {
    const zhText = template(id, complaint());
    assert.ok(zhText.includes("CG-261201-ABCDEF") && zhText.includes("Li Lei") && /[\u4e00-\u9fff]/.test(zhText));
    const enText = template(id, complaint({ customer: { customerId: "C-1", name: "Li Lei", language: "en" } }));
    assert.ok(enText.includes("CG-261201-ABCDEF") && !/[\u4e00-\u9fff]/.test(enText));
  }
});

test("a refusal: a stale version, the fields a 400 names, or the API's own words", () => {
  assert.equal(problemOf(new ApiError(409, "version_conflict", "stale")).kind, "stale");
  const invalid = problemOf(
    new ApiError(400, "validation_error", "summary: String should have at least 1 character; rootCause: Field required"),
  );
  assert.equal(invalid.kind, "invalid");
  assert.deepEqual(invalid.kind === "invalid" ? Object.keys(invalid.fields) : [], ["summary", "rootCause"]);
  const refused = problemOf(new ApiError(409, "illegal_transition", "cannot resolve a closed complaint"));
  assert.equal(refused.kind, "refused");
  assert.equal(refused.message, "cannot resolve a closed complaint");
});

test("every text in both languages", () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const [key, text] of Object.entries(zh)) assert.ok(text.length > 0, key);
});

test("evidence: workers attach while the complaint is open or resolved, compliance and closed ones not", () => {
  assert.equal(allowedActions(agent, complaint({ status: "resolved" })).attach, true);
  assert.equal(allowedActions(agent, complaint({ status: "closed" })).attach, false);
  assert.equal(allowedActions(agent, complaint({ team: "collections" })).attach, false);
  assert.equal(allowedActions(compliance, complaint()).attach, false);
});

test("a file's declared type comes from its extension, in any case; others are refused before upload", () => {
  assert.equal(attachmentType("statement.PDF"), "application/pdf");
  assert.equal(attachmentType("photo.heic"), "image/heic");
  assert.equal(attachmentType("receipt.jpeg"), "image/jpeg");
  assert.equal(attachmentType("chat.txt"), "text/plain");
  assert.equal(attachmentType("macro.docx"), null);
  assert.equal(attachmentType("no-extension"), null);
  assert.equal(attachmentType("statement.pdf.exe"), null);
});

test("a choice the form refuses names its field, like the API's refusals", () => {
  const problem = problemOf(new InvalidChoice("file", "choose a file"));
  assert.deepEqual(problem, { kind: "invalid", message: "file: choose a file", fields: { file: "choose a file" } });
});

test("staff who work it reopen a resolved complaint at the customer's request; never a closed one", () => {
  assert.equal(allowedActions(agent, complaint({ status: "resolved" })).reopen, true);
  assert.equal(allowedActions(agent, complaint({ status: "closed" })).reopen, false);
  assert.equal(allowedActions(agent, complaint()).reopen, false);
  assert.equal(allowedActions(compliance, complaint({ status: "resolved" })).reopen, false);
  assert.equal(allowedActions(manager, complaint({ status: "resolved", team: "collections" })).reopen, false);
});
