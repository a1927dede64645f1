// What the oversight pages share: the page frame, error messages, times in the viewer's zone, the
// period picker, the complaint table and the bar chart (inline SVG drawn here, with a data table).

import type { ComponentChildren } from "preact";
import { type Inputs, useCallback, useEffect, useState } from "preact/hooks";

import { ApiError, SignInRequired } from "../api";
import { BASE } from "../config";
import { deadlineLabel, nextDeadline, timeLeft } from "../deadlines";
import type { Key, Lang, Translate } from "../i18n";
import { DataTable, ErrorLine, FilterForm, FormActions, label } from "../ui";
import type { OversightComplaint } from "./api";
import {
  customPeriod,
  dateInput,
  niceMax,
  type Period,
  type Preset,
  presetPeriod,
  PRESETS,
  scale,
  ticks,
  verdict,
} from "./logic";

export { label };

export function when(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function Time({ lang, iso }: { lang: Lang; iso: string | null | undefined }) {
  return iso ? <time dateTime={iso}>{when(lang, iso)}</time> : <>—</>;
}

export function zone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** What went wrong, in the API's words; a 403 says it is the API's rule; a lost session signs in again. */
export function failure(e: unknown, t: Translate, onSignInRequired: () => void): string | null {
  if (e instanceof SignInRequired) {
    onSignInRequired();
    return null;
  }
  if (e instanceof ApiError) {
    if (e.status === 403) return t("ovRefusedByApi", { message: e.message });
    if (e.status === 409 && e.code === "version_conflict") return t("ovStale", { message: e.message });
    return t("ovFailed", { message: e.message });
  }
  return t("ovFailed", { message: e instanceof Error ? e.message : String(e) });
}

/** A list read from the API when `inputs` change (and on `load`): null while it loads; on a failure
 * empty, with what went wrong in words. */
export function useList<T>(read: () => Promise<T[]>, inputs: Inputs, t: Translate, onSignInRequired: () => void) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    setItems(null);
    read()
      .then(setItems)
      .catch((e) => {
        setItems([]);
        setError(failure(e, t, onSignInRequired));
      });
  }, inputs);
  useEffect(load, [load]);
  return { items, error, load };
}

/** A report read from the API when `inputs` change: null while it loads or after a failure, told in
 * `error` ("" where a lost session is signing in again). */
export function useReport<T>(read: () => Promise<T>, inputs: Inputs, t: Translate, onSignInRequired: () => void) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    setData(null);
    read()
      .then(setData)
      .catch((e) => setError(failure(e, t, onSignInRequired) ?? ""));
  }, inputs);
  return { data, error };
}

export interface Notice {
  text: string;
  error: boolean;
}

export function NoticeLine({ notice }: { notice: Notice | null }) {
  return (
    <p id="ov-notice" role="status" tabIndex={-1} class={notice?.error ? "error" : "notice"}>
      {notice?.text ?? ""}
    </p>
  );
}

/** After a form closes, the keyboard goes on from what it did (the notice), not from the page's top. */
export function focusNotice(): void {
  setTimeout(() => document.getElementById("ov-notice")?.focus(), 0);
}

export function Frame(props: { id: string; title: string; hint: string; children: ComponentChildren; t: Translate }) {
  return (
    <main class="oversight" id={`ov-${props.id}`}>
      <h1 id="ov-title">{props.title}</h1>
      <p class="muted">
        {props.hint} {props.t("timesIn", { zone: zone() })}
      </p>
      {props.children}
    </main>
  );
}

export function complaintHref(id: string): string {
  return `${BASE}complaints/${encodeURIComponent(id)}`;
}

export function trailHref(id: string): string {
  return `${BASE}oversight/trail?complaint=${encodeURIComponent(id)}`;
}

// --- the period picker -----------------------------------------------------------------------------

const PRESET_KEYS: Record<Preset, Key> = {
  thisMonth: "ovThisMonth",
  lastMonth: "ovLastMonth",
  thisQuarter: "ovThisQuarter",
  lastQuarter: "ovLastQuarter",
  last30: "ovLast30",
  thisYear: "ovThisYear",
};

function DateField(props: { id: string; caption: string; value: string; onInput: (value: string) => void }) {
  return (
    <label>
      <span>{props.caption}</span>
      <input id={props.id} type="date" value={props.value} required onInput={(e) => props.onInput((e.target as HTMLInputElement).value)} />
    </label>
  );
}

export function PeriodPicker(props: {
  idPrefix: string;
  t: Translate;
  initial: Period;
  extra?: ComponentChildren;
  onApply: (period: Period) => void;
}) {
  const { idPrefix, t, onApply } = props;
  const [preset, setPreset] = useState<Preset | "custom">("thisQuarter");
  const last = new Date(props.initial.to.getTime() - 86_400_000);
  const [from, setFrom] = useState(dateInput(props.initial.from));
  const [to, setTo] = useState(dateInput(last));
  const [problem, setProblem] = useState<string | null>(null);
  const choose = (value: Preset | "custom") => {
    setPreset(value);
    if (value !== "custom") {
      const period = presetPeriod(value, new Date());
      setFrom(dateInput(period.from));
      setTo(dateInput(new Date(period.to.getTime() - 86_400_000)));
    }
  };
  const custom = (set: (value: string) => void, value: string) => {
    setPreset("custom");
    set(value);
  };
  return (
    <FilterForm
      label={t("ovPeriod")}
      onApply={() => {
        const period = customPeriod(from, to);
        if (typeof period === "string") {
          setProblem(t(period === "invalid" ? "ovPeriodInvalid" : period === "order" ? "ovPeriodOrder" : "ovPeriodTooLong"));
          return;
        }
        setProblem(null);
        onApply(period);
      }}
    >
      <label>
        <span>{t("ovPeriod")}</span>
        <select id={`${idPrefix}-preset`} value={preset} onChange={(e) => choose((e.target as HTMLSelectElement).value as Preset)}>
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(PRESET_KEYS[p])}
            </option>
          ))}
          <option value="custom">{t("ovCustom")}</option>
        </select>
      </label>
      <DateField id={`${idPrefix}-from`} caption={t("ovFrom")} value={from} onInput={(value) => custom(setFrom, value)} />
      <DateField id={`${idPrefix}-to`} caption={t("ovTo")} value={to} onInput={(value) => custom(setTo, value)} />
      {props.extra}
      <FormActions submitId={`${idPrefix}-apply`} submit={t("ovShow")} />
      <ErrorLine text={problem} />
    </FilterForm>
  );
}

// --- complaints ------------------------------------------------------------------------------------

export function ComplaintTable(props: {
  id: string;
  items: OversightComplaint[];
  now: number;
  lang: Lang;
  t: Translate;
  showTrail: boolean;
  caption: string;
}) {
  const { items, now, lang, t } = props;
  return (
    <DataTable
      id={props.id}
      label={props.caption}
      columns={[
        t("colReference"),
        t("colStatus"),
        t("colEscalation"),
        t("colPriority"),
        t("colFlags"),
        t("colNextDeadline"),
        t("colTimeLeft"),
        t("colAssignee"),
        props.showTrail && t("ovTrail"),
      ]}
    >
      {items.map((c) => {
        const next = nextDeadline(c);
        const left = next ? timeLeft(next, now, t) : null;
        const flags = c.triage?.riskFlags ?? [];
        return (
          <tr key={c.id} data-reference={c.reference} data-id={c.id} data-level={c.escalationLevel}>
            <td class="ref">
              <a href={complaintHref(c.id)}>{c.reference}</a>
            </td>
            <td>{label(t, "status", c.status)}</td>
            <td class={c.escalationLevel > 0 ? `level level-${c.escalationLevel}` : "level"}>
              {c.escalationLevel > 0 ? t("level", { n: c.escalationLevel }) : t("levelNone")}
            </td>
            <td class={`priority priority-${c.priority}`}>{label(t, "priority", c.priority)}</td>
            <td class="flags">
              {c.triage?.sensitive && <span class="flag flag-sensitive">{t("ovSensitive")}</span>}
              {flags.map((f) => (
                <span key={f} class={`flag flag-${f}`}>
                  {label(t, "flag", f)}
                </span>
              ))}
            </td>
            <td class="deadline">
              {next ? (
                <>
                  <span class="kind">{t(deadlineLabel(next))}</span> <Time lang={lang} iso={next.at.toISOString()} />
                </>
              ) : (
                t("noDeadline")
              )}
            </td>
            <td class={left?.overdue ? "overdue" : ""}>{left?.text ?? ""}</td>
            <td>
              {c.assignee ?? <span class="muted">{t("unassigned")}</span>}
              {c.team ? <span class="muted"> · {c.team}</span> : null}
            </td>
            {props.showTrail && (
              <td>
                <a href={trailHref(c.id)} aria-label={t("ovTrailOf", { reference: c.reference })}>
                  {t("ovTrail")}
                </a>
              </td>
            )}
          </tr>
        );
      })}
    </DataTable>
  );
}

// --- the bar chart ---------------------------------------------------------------------------------

export interface Bar {
  label: string;
  value: number | null;
  /** the value as read out ("92.3 %", "12") */
  text: string;
  target?: number | null;
  targetText?: string;
}

const WIDTH = 640;
const LABEL_WIDTH = 190;
const VALUE_WIDTH = 80;
const PLOT = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
const ROW = 30;
const TOP = 8;
const AXIS = 26;

/** Horizontal bars with their target as a mark, as an image with a title and a description (each bar
 * read out), and the same figures as a table beside it. */
export function BarChart(props: {
  id: string;
  title: string;
  bars: Bar[];
  /** the axis' end: 1 for rates; else a round number above the largest bar */
  max?: number;
  tick: (value: number) => string;
  t: Translate;
}) {
  const { id, title, bars, t } = props;
  const max = props.max ?? niceMax(Math.max(0, ...bars.map((b) => b.value ?? 0)));
  const height = TOP + bars.length * ROW + AXIS;
  const read = (b: Bar) => {
    const status = verdict(b.value, b.target);
    const target = b.target !== undefined && b.target !== null ? t("ovTargetIs", { target: b.targetText ?? "" }) : "";
    const met = status === "met" ? t("ovMet") : status === "missed" ? t("ovMissed") : "";
    return [`${b.label}: ${b.text}`, target, met].filter(Boolean).join(", ");
  };
  const hasTargets = bars.some((b) => b.target !== undefined && b.target !== null);
  return (
    <figure class="chart" id={id}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        class="chart-svg"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{bars.map(read).join(". ")}</desc>
        {ticks(max).map((tick) => {
          const x = LABEL_WIDTH + scale(tick, max, PLOT);
          return (
            <g key={tick} class="tick">
              <line x1={x} x2={x} y1={TOP} y2={TOP + bars.length * ROW} />
              <text x={x} y={TOP + bars.length * ROW + 18} text-anchor="middle">
                {props.tick(tick)}
              </text>
            </g>
          );
        })}
        {bars.map((b, i) => {
          const y = TOP + i * ROW;
          const status = verdict(b.value, b.target);
          const length = b.value === null ? 0 : scale(b.value, max, PLOT);
          const name = b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label;
          return (
            <g key={b.label} class={`bar bar-${status}`} data-label={b.label}>
              <text x={LABEL_WIDTH - 8} y={y + ROW / 2 + 5} text-anchor="end" class="bar-label">
                {name}
              </text>
              <rect x={LABEL_WIDTH} y={y + 6} width={Math.max(length, b.value ? 1 : 0)} height={ROW - 12} rx={2} />
              {b.target !== undefined && b.target !== null && (
                <line
                  class="target"
                  x1={LABEL_WIDTH + scale(b.target, max, PLOT)}
                  x2={LABEL_WIDTH + scale(b.target, max, PLOT)}
                  y1={y + 2}
                  y2={y + ROW - 2}
                />
              )}
              <text x={LABEL_WIDTH + PLOT + 8} y={y + ROW / 2 + 5} class="bar-value">
                {b.text}
              </text>
            </g>
          );
        })}
        <line class="axis" x1={LABEL_WIDTH} x2={LABEL_WIDTH} y1={TOP} y2={TOP + bars.length * ROW} />
      </svg>
      {hasTargets && (
        <p class="legend muted" aria-hidden="true">
          <span class="legend-met">■</span> {t("ovMet")} <span class="legend-missed">■</span> {t("ovMissed")}{" "}
          <span class="legend-target">┃</span> {t("ovTarget")}
        </p>
      )}
      <details class="chart-data">
        <summary>{t("ovDataTable")}</summary>
        <DataTable
          id={`${id}-table`}
          label={title}
          bare
          columns={[t("ovMeasure"), t("ovValue"), hasTargets && t("ovTarget"), hasTargets && t("ovVerdict")]}
        >
          {bars.map((b) => {
            const status = verdict(b.value, b.target);
            return (
              <tr key={b.label}>
                <th scope="row">{b.label}</th>
                <td>{b.text}</td>
                {hasTargets && <td>{b.targetText ?? "—"}</td>}
                {hasTargets && (
                  <td class={`verdict-${status}`}>
                    {status === "met" ? t("ovMet") : status === "missed" ? t("ovMissed") : "—"}
                  </td>
                )}
              </tr>
            );
          })}
        </DataTable>
      </details>
    </figure>
  );
}
