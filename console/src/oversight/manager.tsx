// Managers' pages: the KPIs against their targets for any period (charts, per team and per handler)
// and the quarterly reports (request one, follow its status, open its files).

import { useEffect, useRef, useState } from "preact/hooks";

import type { PageContext } from "../area";
import type { Key } from "../i18n";
import { DataTable, ErrorLine, FilterForm, FormActions } from "../ui";
import * as api from "./api";
import type { ReportView } from "./api";
import { BarChart, failure, Frame, label, type Notice, NoticeLine, PeriodPicker, Time, useReport } from "./common";
import { DEFAULT_TARGETS, percent, type Period, presetPeriod, recentQuarters, topCounts, verdict } from "./logic";
import { PerformanceSection } from "./supervisor";

const TARGETED = ["firstResponseOnTimeRate", "satisfactionRate", "closureRate"] as const;
const OTHER_RATES = ["resolutionRate", "accountabilityRate", "followUpOnTimeRate", "solutionPlanOnTimeRate"] as const;
const RATE_KEYS: Record<(typeof TARGETED)[number] | (typeof OTHER_RATES)[number], Key> = {
  firstResponseOnTimeRate: "ovFirstResponseOnTime",
  satisfactionRate: "ovSatisfaction",
  closureRate: "ovClosure",
  resolutionRate: "ovResolution",
  accountabilityRate: "ovAccountabilityReviewed",
  followUpOnTimeRate: "ovFollowUpOnTime",
  solutionPlanOnTimeRate: "ovSolutionPlanOnTime",
};

export function KpisPage(context: PageContext) {
  const { config, lang, t, onSignInRequired } = context;
  const [period, setPeriod] = useState<Period>(() => presetPeriod("thisQuarter", new Date()));
  const { data, error } = useReport(
    () => api.kpis(config, period),
    [config, period.from.getTime(), period.to.getTime()],
    t,
    onSignInRequired,
  );

  const targets = { ...DEFAULT_TARGETS, ...(data?.targets ?? {}) };
  const p = (r: number | null | undefined) => percent(r, lang);
  const hours = (h: number | null) => (h === null ? "—" : t("ovHours", { n: h.toFixed(1) }));
  return (
    <Frame id="kpis" title={t("ovKpis")} hint={t("ovKpisHint")} t={t}>
      <PeriodPicker idPrefix="kpi-period" t={t} initial={period} onApply={setPeriod} />
      <ErrorLine text={error} />
      {!data && !error && <p role="status">{t("loading")}</p>}
      {data && (
        <>
          <p id="kpi-period-shown">
            {t("ovPeriodShown")} <Time lang={lang} iso={data.from} /> – <Time lang={lang} iso={data.to} />{" "}
            <span class="muted">({t("ovAsOf")} <Time lang={lang} iso={data.asOf} />)</span>
          </p>
          <ul class="cards" id="kpi-targets">
            {TARGETED.map((name) => {
              const status = verdict(data[name], targets[name]);
              return (
                <li key={name} class={`card verdict-${status}`} data-kpi={name}>
                  <span class="card-label">{t(RATE_KEYS[name])}</span>
                  <strong class="card-value">{p(data[name])}</strong>
                  <span>
                    {t("ovTargetIs", { target: `≥ ${p(targets[name])}` })} ·{" "}
                    {status === "met" ? t("ovMet") : status === "missed" ? t("ovMissed") : t("ovNoData")}
                  </span>
                </li>
              );
            })}
            <li class="card" data-kpi="received">
              <span class="card-label">{t("ovReceived")}</span>
              <strong class="card-value">{data.received}</strong>
              <span>{t("ovWithdrawnN", { n: data.withdrawn })}</span>
            </li>
          </ul>
          <div class="charts">
            <BarChart
              id="chart-targets"
              title={t("ovChartTargets")}
              max={1}
              tick={(v) => percent(v, lang)}
              t={t}
              bars={TARGETED.map((name) => ({
                label: t(RATE_KEYS[name]),
                value: data[name],
                text: p(data[name]),
                target: targets[name],
                targetText: `≥ ${p(targets[name])}`,
              }))}
            />
            <BarChart
              id="chart-rates"
              title={t("ovChartOtherRates")}
              max={1}
              tick={(v) => percent(v, lang)}
              t={t}
              bars={OTHER_RATES.map((name) => ({ label: t(RATE_KEYS[name]), value: data[name], text: p(data[name]) }))}
            />
            <BarChart
              id="chart-channels"
              title={t("ovChartChannels")}
              tick={(v) => String(v)}
              t={t}
              bars={topCounts(data.byChannel).map(([name, n]) => ({ label: label(t, "channel", name), value: n, text: String(n) }))}
            />
            {Object.keys(data.breachesByTeam ?? {}).length > 0 && (
              <BarChart
                id="chart-breaches"
                title={t("ovChartBreaches")}
                tick={(v) => String(v)}
                t={t}
                bars={topCounts(data.breachesByTeam).map(([name, n]) => ({ label: name, value: n, text: String(n) }))}
              />
            )}
          </div>
          <DataTable id="kpi-times" label={t("ovTimes")} caption={t("ovTimes")} columns={[t("ovMeasure"), t("ovMedian"), t("ovP90")]}>
            <tr>
              <th scope="row">{t("ovToFirstResponse")}</th>
              <td>{hours(data.medianHoursToFirstResponse)}</td>
              <td>{hours(data.p90HoursToFirstResponse)}</td>
            </tr>
            <tr>
              <th scope="row">{t("ovToResolution")}</th>
              <td>{hours(data.medianHoursToResolution)}</td>
              <td>{hours(data.p90HoursToResolution)}</td>
            </tr>
          </DataTable>
          <PerformanceSection {...context} idPrefix="kpi-groups" period={period} />
        </>
      )}
    </Frame>
  );
}

// --- reports ---------------------------------------------------------------------------------------

const STATUS_KEYS: Record<ReportView["status"], Key> = {
  queued: "ovReportQueued",
  building: "ovReportBuilding",
  ready: "ovReportReady",
  failed: "ovReportFailed",
};
const SEEN_KEY = "cg.reports";

function seenReports(): string[] {
  try {
    const list = JSON.parse(sessionStorage.getItem(SEEN_KEY) ?? "[]") as unknown;
    return Array.isArray(list) ? list.map(String) : [];
  } catch {
    return [];
  }
}

export function ReportsPage({ config, lang, t, onSignInRequired }: PageContext) {
  const quarters = recentQuarters(new Date(), 8);
  const [period, setPeriod] = useState(quarters[1] ?? quarters[0] ?? "");
  const [lookup, setLookup] = useState("");
  const [reports, setReports] = useState<Record<string, ReportView>>({});
  const [ids, setIds] = useState<string[]>(seenReports);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const remember = (id: string) => {
    setIds((old) => {
      const next = [id, ...old.filter((x) => x !== id)].slice(0, 20);
      sessionStorage.setItem(SEEN_KEY, JSON.stringify(next));
      return next;
    });
  };

  const refresh = (id: string) =>
    api
      .report(config, id)
      .then((view) => {
        setReports((old) => ({ ...old, [id]: view }));
        return view;
      })
      .catch((e) => {
        const text = failure(e, t, onSignInRequired);
        if (text) setNotice({ text: t("ovReportLookupFailed", { id, reason: text }), error: true });
        return null;
      });

  const request = () => {
    setBusy(true);
    setNotice(null);
    api
      .requestReport(config, period)
      .then((view) => {
        setReports((old) => ({ ...old, [view.id]: view }));
        remember(view.id);
        setNotice({ text: t("ovReportRequested", { period: view.period }), error: false });
      })
      .catch((err) => {
        const text = failure(err, t, onSignInRequired);
        if (text) setNotice({ text, error: true });
      })
      .finally(() => setBusy(false));
  };

  // Reports being built are read again every 3 s until ready or failed.
  useEffect(() => {
    const pending = ids.filter((id) => !reports[id] || ["queued", "building"].includes(reports[id]?.status ?? ""));
    if (!pending.length) return undefined;
    timer.current = setTimeout(() => void Promise.all(pending.map(refresh)), reports[pending[0] ?? ""] ? 3000 : 0);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [ids, reports]);

  return (
    <Frame id="reports" title={t("ovReports")} hint={t("ovReportsHint")} t={t}>
      <FilterForm label={t("ovRequestReport")} onApply={request}>
        <label>
          <span>{t("ovQuarter")}</span>
          <select id="report-period" value={period} onChange={(e) => setPeriod((e.target as HTMLSelectElement).value)}>
            {quarters.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </label>
        <FormActions submitId="report-request" submit={t("ovRequestReport")} busy={busy} />
      </FilterForm>
      <FilterForm
        label={t("ovOpenReport")}
        onApply={() => {
          if (lookup) void refresh(lookup).then((view) => view && remember(view.id));
        }}
      >
        <label>
          <span>{t("ovReportId")}</span>
          <input id="report-id" value={lookup} placeholder="2026-Q3-scheduled" onInput={(e) => setLookup((e.target as HTMLInputElement).value.trim())} />
        </label>
        <div class="actions">
          <button type="submit" class="secondary" id="report-open">
            {t("ovOpenReport")}
          </button>
        </div>
      </FilterForm>
      <NoticeLine notice={notice} />
      {ids.length === 0 ? (
        <p>{t("ovNoReports")}</p>
      ) : (
        <ul class="reports" id="reports">
          {ids.map((id) => {
            const view = reports[id];
            return (
              <li key={id} class="panel" data-report={id} data-status={view?.status ?? ""}>
                <h2>{view?.period ?? id}</h2>
                {!view ? (
                  <p role="status">{t("loading")}</p>
                ) : (
                  <>
                    <p role="status" class={view.status === "failed" ? "error" : ""}>
                      {t(STATUS_KEYS[view.status])}
                      {view.error ? ` ${view.error}` : ""}
                    </p>
                    <p class="muted">
                      {t("ovRequestedBy", { who: view.requestedBy })} <Time lang={lang} iso={view.requestedAt} />
                      {view.completedAt ? (
                        <>
                          {" · "}
                          {t("ovCompletedAt")} <Time lang={lang} iso={view.completedAt} />
                        </>
                      ) : null}
                    </p>
                    {view.headline && (
                      <p>
                        {t("ovHeadline", {
                          received: view.headline.received,
                          firstResponse: percent(view.headline.firstResponseOnTimeRate, lang),
                          satisfaction: percent(view.headline.satisfactionRate, lang),
                          closure: percent(view.headline.closureRate, lang),
                        })}
                      </p>
                    )}
                    {view.links && Object.keys(view.links).length > 0 && (
                      <>
                        <ul class="files">
                          {Object.entries(view.links).map(([file, url]) => (
                            <li key={file}>
                              <a href={url} target="_blank" rel="noopener noreferrer" data-file={file}>
                                {file}
                              </a>
                            </li>
                          ))}
                        </ul>
                        {view.linksExpireAt && (
                          <p class="muted">
                            {t("ovLinksExpire")} <Time lang={lang} iso={view.linksExpireAt} />
                          </p>
                        )}
                      </>
                    )}
                    <button type="button" class="small secondary" onClick={() => void refresh(id)}>
                      {t("refresh")}
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Frame>
  );
}
