// The oversight pages' texts (supervisors, managers, compliance), in both languages (merged into
// i18n.ts; `zh` is typed by `en`'s keys).

export const en = {};

export const zh: Record<keyof typeof en, string> = {};
