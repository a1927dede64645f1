// What the unit tests share: a complaint as the API lists it, with only what a test is about changed.

import type { Complaint } from "../src/api";

export function complaint(overrides: Partial<Complaint> & { atRiskWarned?: Record<string, string> } = {}): Complaint {
  return {
    id: "c",
    reference: "CG-1",
    status: "received",
    channel: "counter",
    priority: "normal",
    receivedAt: "2026-12-01T00:00:00Z",
    deadlines: { firstResponseDueAt: "2026-12-02T00:00:00Z", resolutionDueAt: "2026-12-03T00:00:00Z" },
    escalationLevel: 0,
    version: 1,
    ...overrides,
  };
}
