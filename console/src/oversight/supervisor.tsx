// Supervisors' (and managers') pages: escalations and at-risk complaints, accountability records to
// review, follow-up calls (回访), the team roster and team performance.

import { useCallback, useEffect, useState } from "preact/hooks";

import { ApiError } from "../api";
import type { PageContext } from "../area";
import type { Identity } from "../auth";
import { duration, OPEN } from "../deadlines";
import type { Key, Translate } from "../i18n";
import { ComplaintFilterFields, DataTable, ErrorLine, FilterForm, FocusPanel, FormActions, ListState } from "../ui";
import * as api from "./api";
import type { AccountabilityRecord, OversightComplaint, Roster } from "./api";
import {
  BarChart,
  ComplaintTable,
  complaintHref,
  failure,
  focusNotice,
  Frame,
  type Notice,
  NoticeLine,
  PeriodPicker,
  Time,
  useList,
  useReport,
} from "./common";
import {
  byEscalationThenDeadline,
  DEFAULT_TARGETS,
  needsAttention,
  percent,
  type Period,
  presetPeriod,
  reviewBar,
} from "./logic";

/** A team chooser: the viewer's teams as a list, or free text for those who work none (managers). */
function TeamField(props: {
  id: string;
  identity: Identity;
  value: string;
  t: Translate;
  allLabel?: Key;
  required?: boolean;
  onChange: (team: string) => void;
}) {
  const { id, identity, value, t, onChange } = props;
  return (
    <label>
      <span>{t("team")}</span>
      {identity.teams.length ? (
        <select id={id} value={value} required={props.required} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
          {props.allLabel && <option value="">{t(props.allLabel)}</option>}
          {identity.teams.map((team) => (
            <option key={team} value={team}>
              {team}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          value={value}
          required={props.required}
          placeholder={props.allLabel ? t("ovEveryTeam") : undefined}
          onInput={(e) => onChange((e.target as HTMLInputElement).value.trim())}
        />
      )}
    </label>
  );
}

// --- escalations -----------------------------------------------------------------------------------

interface EscalationFilters {
  team: string;
  priority: string;
  flag: string;
  dueBefore: string;
  all: boolean;
}

export function EscalationsPage({ config, identity, lang, t, onSignInRequired }: PageContext) {
  const blank: EscalationFilters = { team: "", priority: "", flag: "", dueBefore: "", all: false };
  const [draft, setDraft] = useState(blank);
  const [filters, setFilters] = useState(blank);
  const [now, setNow] = useState(Date.now());

  const { items, error, load } = useList(() => {
    const q = new URLSearchParams();
    if (filters.team) q.set("team", filters.team);
    if (filters.priority) q.set("priority", filters.priority);
    if (filters.flag) q.set("flag", filters.flag);
    if (filters.dueBefore) q.set("dueBefore", new Date(filters.dueBefore).toISOString());
    return api.complaints(config, q).then((found) => {
      const at = Date.now();
      setNow(at);
      const shown = found.filter((c) => OPEN.has(c.status) && (filters.all || needsAttention(c, at)));
      return shown.sort(byEscalationThenDeadline);
    });
  }, [config, filters, lang], t, onSignInRequired);

  const set = (name: keyof EscalationFilters) => (e: Event) => {
    const target = e.target as HTMLInputElement;
    setDraft({ ...draft, [name]: target.type === "checkbox" ? target.checked : target.value });
  };
  return (
    <Frame id="escalations" title={t("ovEscalations")} hint={t("ovEscalationsHint")} t={t}>
      <FilterForm label={t("filters")} onApply={() => setFilters(draft)}>
        <TeamField id="esc-team" identity={identity} value={draft.team} t={t} allLabel="allMyTeams" onChange={(team) => setDraft({ ...draft, team })} />
        <ComplaintFilterFields idPrefix="esc" draft={draft} t={t} set={set} />
        <label class="check">
          <input id="esc-all" type="checkbox" checked={draft.all} onChange={set("all")} />
          <span>{t("ovAllOpen")}</span>
        </label>
        <FormActions submitId="esc-apply" submit={t("apply")} secondary={t("refresh")} onSecondary={load} />
      </FilterForm>
      <ErrorLine text={error} />
      <ListState items={items} t={t} emptyId="esc-empty" empty={t("ovNothingEscalated")} countId="esc-count">
        {(items) => <ComplaintTable id="escalations" items={items} now={now} lang={lang} t={t} showTrail caption={t("ovEscalations")} />}
      </ListState>
    </Frame>
  );
}

// --- accountability --------------------------------------------------------------------------------

const TRIGGERS: Record<string, Key> = {
  missed_first_response: "ovTrigger_missed_first_response",
  missed_solution_plan: "ovTrigger_missed_solution_plan",
  missed_resolution: "ovTrigger_missed_resolution",
  reopened_handling_wrong: "ovTrigger_reopened_handling_wrong",
  opened_by_supervisor: "ovTrigger_opened_by_supervisor",
};

/** Why the viewer may not review a record, in words, or null. */
function ownRecord(record: AccountabilityRecord, identity: Identity, t: Translate): string | null {
  const why = reviewBar(record, identity);
  return why === "handling" ? t("ovOwnHandling") : why === "team" ? t("ovOwnTeam", { team: record.team }) : null;
}

export function AccountabilityPage({ config, identity, lang, t, onSignInRequired }: PageContext) {
  const [status, setStatus] = useState<"open" | "reviewed">("open");
  const [team, setTeam] = useState("");
  const [applied, setApplied] = useState({ status: "open" as "open" | "reviewed", team: "" });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [selected, setSelected] = useState<AccountabilityRecord | null>(null);
  const [finding, setFinding] = useState<"justified" | "unjustified" | "">("");
  const [action, setAction] = useState("");
  const [busy, setBusy] = useState(false);

  const { items, error, load } = useList(
    () =>
      api
        .accountability(config, applied.status, applied.team)
        .then((found) => found.sort((a, b) => a.openedAt.localeCompare(b.openedAt))),
    [config, applied, lang],
    t,
    onSignInRequired,
  );

  const submit = (e: Event) => {
    e.preventDefault();
    if (!selected || !finding || !action.trim()) return;
    setBusy(true);
    api
      .review(config, selected, finding, action.trim())
      .then((done) => {
        setNotice({ text: t("ovReviewed", { reference: done.reference }), error: false });
        setSelected(null);
        focusNotice();
        load();
      })
      .catch((err) => {
        const text = failure(err, t, onSignInRequired);
        if (text) setNotice({ text: t("ovReviewRefused", { reference: selected.reference, reason: text }), error: true });
        if (err instanceof ApiError && err.status === 409) {
          setSelected(null); // reviewed meanwhile, or changed: the list shows it as it is now
          load();
        }
      })
      .finally(() => setBusy(false));
  };

  return (
    <Frame id="accountability" title={t("ovAccountability")} hint={t("ovAccountabilityHint")} t={t}>
      <FilterForm label={t("filters")} onApply={() => setApplied({ status, team })}>
        <label>
          <span>{t("colStatus")}</span>
          <select id="acc-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as "open")}>
            <option value="open">{t("ovToReview")}</option>
            <option value="reviewed">{t("ovReviewedList")}</option>
          </select>
        </label>
        <label>
          <span>{t("team")}</span>
          <input id="acc-team" value={team} placeholder={t("ovEveryTeam")} onInput={(e) => setTeam((e.target as HTMLInputElement).value.trim())} />
        </label>
        <FormActions submitId="acc-apply" submit={t("apply")} />
      </FilterForm>
      <NoticeLine notice={notice} />
      <ErrorLine text={error} />
      {selected && (
        <FocusPanel id="review-panel" titleId="review-title" title={t("ovReviewOf", { reference: selected.reference })} focusKey={selected}>
          <p>
            {t("ovRecordNames", { assignee: selected.assignee, team: selected.team })}{" "}
            {selected.trigger && TRIGGERS[selected.trigger] ? t(TRIGGERS[selected.trigger] as Key) : selected.trigger}
          </p>
          {(selected.evidence || selected.reason) && <p class="quote">{selected.evidence ?? selected.reason}</p>}
          <form onSubmit={submit} class="stack">
            <fieldset>
              <legend>{t("ovFinding")}</legend>
              {(["justified", "unjustified"] as const).map((f) => (
                <label key={f} class="check">
                  <input
                    type="radio"
                    name="finding"
                    id={`finding-${f}`}
                    value={f}
                    checked={finding === f}
                    required
                    onChange={() => setFinding(f)}
                  />
                  <span>{t(f === "justified" ? "ovJustified" : "ovUnjustified")}</span>
                </label>
              ))}
            </fieldset>
            <label>
              <span>{t("ovAction")}</span>
              <textarea
                id="review-action"
                rows={3}
                maxLength={1000}
                required
                value={action}
                onInput={(e) => setAction((e.target as HTMLTextAreaElement).value)}
              />
            </label>
            <FormActions
              submitId="review-submit"
              submit={t("ovRecordReview")}
              busy={busy}
              secondary={t("ovCancel")}
              onSecondary={() => setSelected(null)}
            />
          </form>
        </FocusPanel>
      )}
      <ListState items={items} t={t} emptyId="acc-empty" empty={t("empty")}>
        {(items) => (
          <DataTable
            id="accountability"
            label={t("ovAccountability")}
            columns={[
              t("colReference"),
              t("ovTrigger"),
              t("ovMissedDeadline"),
              t("ovNames"),
              t("ovOpened"),
              applied.status === "open" ? t("colAction") : t("ovFinding"),
            ]}
          >
            {items.map((r) => {
              const own = ownRecord(r, identity, t);
              return (
                <tr key={r.id} data-record={r.id} data-reference={r.reference}>
                  <td class="ref">
                    <a href={complaintHref(r.complaintId)}>{r.reference}</a>
                  </td>
                  <td>{r.trigger && TRIGGERS[r.trigger] ? t(TRIGGERS[r.trigger] as Key) : (r.trigger ?? "")}</td>
                  <td>
                    <Time lang={lang} iso={r.dueAt} />
                  </td>
                  <td>
                    {r.assignee} <span class="muted">· {r.team}</span>
                  </td>
                  <td>
                    <Time lang={lang} iso={r.openedAt} />
                    {r.openedBy ? <span class="muted"> · {r.openedBy}</span> : null}
                  </td>
                  <td class="wrap">
                    {r.status === "reviewed" ? (
                      <>
                        {r.finding === "justified" ? t("ovJustified") : r.finding === "unjustified" ? t("ovUnjustified") : ""}
                        {r.action ? <span class="muted"> · {r.action}</span> : null}
                        {r.reviewedBy ? <span class="muted"> · {r.reviewedBy}</span> : null}
                      </>
                    ) : own ? (
                      <span class="muted" id={`own-${r.id}`}>
                        {own}
                      </span>
                    ) : (
                      <button
                        type="button"
                        class="small"
                        id={`review-${r.reference}`}
                        aria-label={t("ovReviewOf", { reference: r.reference })}
                        onClick={() => {
                          setNotice(null);
                          setFinding("");
                          setAction("");
                          setSelected(r);
                        }}
                      >
                        {t("ovReview")}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </ListState>
    </Frame>
  );
}

// --- follow-ups (回访) -----------------------------------------------------------------------------

const OUTCOMES = ["satisfied", "still_dissatisfied", "unreachable"] as const;

export function FollowUpsPage({ config, identity, lang, t, onSignInRequired }: PageContext) {
  const [status, setStatus] = useState<"open" | "completed">("open");
  const [mineOnly, setMineOnly] = useState(false);
  const [team, setTeam] = useState("");
  const [applied, setApplied] = useState({ status: "open" as "open" | "completed", team: "", mine: false });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [completing, setCompleting] = useState<OversightComplaint | null>(null);
  const [outcome, setOutcome] = useState<string>("satisfied");
  const [notes, setNotes] = useState("");
  const [reopen, setReopen] = useState(false);
  const [names, setNames] = useState<Record<string, string>>({});
  const now = Date.now();

  const { items, error, load } = useList(
    () => api.followUps(config, applied.status, applied.team, applied.mine ? "me" : ""),
    [config, applied, lang],
    t,
    onSignInRequired,
  );

  const run = (work: Promise<unknown>, done: string) => {
    setBusy(true);
    setNotice(null);
    work
      .then(() => {
        setNotice({ text: done, error: false });
        if (completing) focusNotice();
        setCompleting(null);
      })
      .catch((e) => {
        const text = failure(e, t, onSignInRequired);
        if (text) setNotice({ text, error: true });
      })
      .finally(() => {
        setBusy(false);
        load();
      });
  };

  return (
    <Frame id="follow-ups" title={t("ovFollowUps")} hint={t("ovFollowUpsHint")} t={t}>
      <FilterForm label={t("filters")} onApply={() => setApplied({ status, team, mine: mineOnly })}>
        <label>
          <span>{t("colStatus")}</span>
          <select id="fu-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as "open")}>
            <option value="open">{t("ovFollowUpOpen")}</option>
            <option value="completed">{t("ovFollowUpCompleted")}</option>
          </select>
        </label>
        <TeamField id="fu-team" identity={identity} value={team} t={t} allLabel="allMyTeams" onChange={setTeam} />
        <label class="check">
          <input id="fu-mine" type="checkbox" checked={mineOnly} onChange={(e) => setMineOnly((e.target as HTMLInputElement).checked)} />
          <span>{t("ovMyCalls")}</span>
        </label>
        <FormActions submitId="fu-apply" submit={t("apply")} />
      </FilterForm>
      <NoticeLine notice={notice} />
      <ErrorLine text={error} />
      {completing && (
        <FocusPanel
          id="complete-panel"
          titleId="complete-title"
          title={t("ovCompleteOf", { reference: completing.reference })}
          focusKey={completing}
        >
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              run(
                api.completeFollowUp(config, completing, outcome, notes.trim(), outcome === "still_dissatisfied" && reopen),
                t("ovCompleted", { reference: completing.reference }),
              );
            }}
          >
            <label>
              <span>{t("ovOutcome")}</span>
              <select id="fu-outcome" value={outcome} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value)}>
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(`ovOutcome_${o}` as Key)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t("ovNotes")}</span>
              <textarea id="fu-notes" rows={3} maxLength={1000} required value={notes} onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)} />
            </label>
            {outcome === "still_dissatisfied" && completing.status === "resolved" && (
              <label class="check">
                <input id="fu-reopen" type="checkbox" checked={reopen} onChange={(e) => setReopen((e.target as HTMLInputElement).checked)} />
                <span>{t("ovReopenToo")}</span>
              </label>
            )}
            <FormActions
              submitId="fu-complete"
              submit={t("ovComplete")}
              busy={busy}
              secondary={t("ovCancel")}
              onSecondary={() => setCompleting(null)}
            />
          </form>
        </FocusPanel>
      )}
      <ListState items={items} t={t} emptyId="fu-empty" empty={t("empty")}>
        {(items) => (
          <DataTable
            id="follow-ups"
            label={t("ovFollowUps")}
            columns={[t("colReference"), t("ovRating"), t("ovDue"), t("team"), t("ovCaller"), t("colAction")]}
          >
            {items.map((c) => {
              const fu = c.followUp;
              const due = fu ? new Date(fu.dueAt).getTime() - now : 0;
              return (
                <tr key={c.id} data-reference={c.reference}>
                  <td class="ref">
                    <a href={complaintHref(c.id)}>{c.reference}</a>
                  </td>
                  <td>{fu ? t("ovStars", { n: fu.rating }) : ""}</td>
                  <td class="deadline">
                    <Time lang={lang} iso={fu?.dueAt} />{" "}
                    {fu?.status === "open" && (
                      <span class={due < 0 ? "overdue" : "muted"}>
                        {due < 0 ? t("overdue", { duration: duration(due, t) }) : t("left", { duration: duration(due, t) })}
                      </span>
                    )}
                    {fu?.escalatedAt && <span class="flag">{t("ovEscalatedToManagers")}</span>}
                  </td>
                  <td>{fu?.team ?? c.team ?? ""}</td>
                  <td>
                    {fu?.status === "completed" ? (
                      <>
                        {fu.completedBy} · {fu.outcome ? t(`ovOutcome_${fu.outcome}` as Key) : ""}
                      </>
                    ) : (
                      (fu?.assignee ?? <span class="muted">{t("ovTeamOwesIt")}</span>)
                    )}
                  </td>
                  <td>
                    {fu?.status === "open" && (
                      <div class="row-actions">
                        {fu.assignee !== identity.username && (
                          <button
                            type="button"
                            class="small"
                            disabled={busy}
                            aria-label={`${t("take")} ${c.reference}`}
                            onClick={() => run(api.assignFollowUp(config, c, undefined), t("ovTaken", { reference: c.reference }))}
                          >
                            {t("take")}
                          </button>
                        )}
                        <label class="inline">
                          <span class="visually-hidden">{t("ovAssignTo", { reference: c.reference })}</span>
                          <input
                            id={`fu-name-${c.reference}`}
                            size={10}
                            placeholder={t("ovUsername")}
                            value={names[c.id] ?? ""}
                            onInput={(e) => setNames({ ...names, [c.id]: (e.target as HTMLInputElement).value.trim() })}
                          />
                        </label>
                        <button
                          type="button"
                          class="small secondary"
                          disabled={busy || !names[c.id]}
                          onClick={() =>
                            run(api.assignFollowUp(config, c, names[c.id]), t("ovAssigned", { reference: c.reference, name: names[c.id] ?? "" }))
                          }
                        >
                          {t("ovAssign")}
                        </button>
                        {fu.assignee && (
                          <button
                            type="button"
                            class="small secondary"
                            disabled={busy}
                            onClick={() => run(api.assignFollowUp(config, c, null), t("ovGivenBack", { reference: c.reference }))}
                          >
                            {t("ovGiveBack")}
                          </button>
                        )}
                        <button
                          type="button"
                          class="small"
                          disabled={busy}
                          id={`fu-open-${c.reference}`}
                          onClick={() => {
                            setOutcome("satisfied");
                            setNotes("");
                            setReopen(false);
                            setCompleting(c);
                          }}
                        >
                          {t("ovComplete")}
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </ListState>
    </Frame>
  );
}

// --- roster ----------------------------------------------------------------------------------------

export function RosterPage({ config, identity, lang, t, onSignInRequired }: PageContext) {
  const [team, setTeam] = useState(identity.teams.find((x) => x !== "intake") ?? identity.teams[0] ?? "");
  const [shown, setShown] = useState(team);
  const [roster, setRoster] = useState<Roster | null>(null);
  const [members, setMembers] = useState<Roster["members"]>([]);
  const [newMember, setNewMember] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    if (!shown) return Promise.resolve();
    setError(null);
    return api
      .roster(config, shown)
      .then((found) => {
        setRoster(found);
        setMembers(found.members ?? []);
      })
      .catch((e) => {
        setRoster(null);
        setError(failure(e, t, onSignInRequired));
      });
  }, [config, shown, lang]);
  useEffect(() => void load(), [load]);

  const save = (e: Event) => {
    e.preventDefault();
    if (!roster) return;
    setBusy(true);
    setNotice(null);
    api
      .saveRoster(config, shown, members, roster.version ?? 0)
      .then((saved) => {
        setRoster(saved);
        setMembers(saved.members);
        setNotice({ text: t("ovRosterSaved", { team: shown }), error: false });
      })
      // Refused or stale: the roster is read again first, then the reason is told (a save from the
      // notice on is at the version now shown).
      .catch((err) => {
        const text = failure(err, t, onSignInRequired);
        return load().then(() => text && setNotice({ text, error: true }));
      })
      .finally(() => setBusy(false));
  };

  return (
    <Frame id="roster" title={t("ovRoster")} hint={t("ovRosterHint")} t={t}>
      <FilterForm label={t("team")} onApply={() => setShown(team)}>
        <TeamField id="roster-team" identity={identity} value={team} t={t} required onChange={setTeam} />
        <FormActions submitId="roster-show" submit={t("ovShow")} />
      </FilterForm>
      <NoticeLine notice={notice} />
      <ErrorLine text={error} />
      {roster && (
        <form class="panel stack" onSubmit={save} aria-labelledby="roster-heading">
          <h2 id="roster-heading">{t("ovRosterOf", { team: roster.team })}</h2>
          {roster.updatedAt && (
            <p class="muted">
              {t("ovUpdatedBy", { who: roster.updatedBy ?? "" })} <Time lang={lang} iso={roster.updatedAt} />
            </p>
          )}
          {members.length === 0 ? (
            <p>{t("ovNoMembers")}</p>
          ) : (
            <DataTable
              id="roster"
              label={t("ovRosterOf", { team: roster.team })}
              bare
              columns={[t("ovMember"), t("ovOnDuty"), t("colAction")]}
            >
              {members.map((m, i) => (
                <tr key={m.id} data-member={m.id}>
                  <th scope="row">{m.id}</th>
                  <td>
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={m.onDuty}
                        onChange={(e) =>
                          setMembers(members.map((x, j) => (j === i ? { ...x, onDuty: (e.target as HTMLInputElement).checked } : x)))
                        }
                      />
                      <span>{t("ovOnDutyOf", { member: m.id })}</span>
                    </label>
                  </td>
                  <td>
                    <button type="button" class="small secondary" onClick={() => setMembers(members.filter((_, j) => j !== i))}>
                      {t("ovRemoveMember", { member: m.id })}
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          <div class="filters">
            <label>
              <span>{t("ovAddMember")}</span>
              <input id="roster-new" value={newMember} onInput={(e) => setNewMember((e.target as HTMLInputElement).value.trim())} />
            </label>
            <button
              type="button"
              class="secondary"
              disabled={!newMember || members.some((m) => m.id === newMember)}
              onClick={() => {
                setMembers([...members, { id: newMember, onDuty: true }]);
                setNewMember("");
              }}
            >
              {t("ovAdd")}
            </button>
          </div>
          <FormActions submitId="roster-save" submit={t("ovSaveRoster")} busy={busy} />
        </form>
      )}
    </Frame>
  );
}

// --- performance (per team, per handler) ------------------------------------------------------------

export function PerformanceSection(props: PageContext & { idPrefix: string; period: Period }) {
  const { config, lang, t, onSignInRequired, idPrefix, period } = props;
  const [groupBy, setGroupBy] = useState<"team" | "assignee">("team");
  const { data, error } = useReport(
    () => api.performance(config, period, groupBy),
    [config, period.from.getTime(), period.to.getTime(), groupBy],
    t,
    onSignInRequired,
  );

  const targets = { ...DEFAULT_TARGETS, ...(data?.targets ?? {}) };
  const p = (r: number | null | undefined) => percent(r, lang);
  return (
    <section class="panel" aria-labelledby={`${idPrefix}-heading`} id={`${idPrefix}-section`}>
      <div class="heading">
        <h2 id={`${idPrefix}-heading`}>{groupBy === "team" ? t("ovPerTeam") : t("ovPerHandler")}</h2>
        <label class="inline">
          <span>{t("ovGroupBy")}</span>
          <select id={`${idPrefix}-group-by`} value={groupBy} onChange={(e) => setGroupBy((e.target as HTMLSelectElement).value as "team")}>
            <option value="team">{t("ovPerTeam")}</option>
            <option value="assignee">{t("ovPerHandler")}</option>
          </select>
        </label>
      </div>
      {data?.scope && <p class="muted">{t("ovScope", { teams: data.scope.join(", ") })}</p>}
      <ErrorLine text={error} />
      {!data && !error && <p role="status">{t("loading")}</p>}
      {data && data.groups.length === 0 && <p>{t("ovNoFigures")}</p>}
      {data && data.groups.length > 0 && (
        <>
          <BarChart
            id={`${idPrefix}-chart-first-response`}
            title={t("ovChartGroupsFirstResponse")}
            max={1}
            tick={(v) => percent(v, lang)}
            t={t}
            bars={data.groups.slice(0, 20).map((g) => ({
              label: g.name,
              value: g.firstResponseOnTimeRate,
              text: p(g.firstResponseOnTimeRate),
              target: targets.firstResponseOnTimeRate,
              targetText: p(targets.firstResponseOnTimeRate),
            }))}
          />
          <DataTable
            id={`${idPrefix}-table`}
            label={groupBy === "team" ? t("ovPerTeam") : t("ovPerHandler")}
            columns={[
              groupBy === "team" ? t("team") : t("ovHandler"),
              t("ovHandled"),
              t("ovFirstResponseOnTime"),
              t("ovResolutionOnTime"),
              t("ovMedianHandling"),
              t("ovSatisfaction"),
              t("ovReopenRate"),
              t("ovAccountabilityFindings"),
            ]}
          >
            {data.groups.map((g) => (
              <tr key={g.name} data-group={g.name}>
                <th scope="row">
                  {g.name}
                  {groupBy === "assignee" && g.teams.length > 0 && <span class="muted"> · {g.teams.join(", ")}</span>}
                </th>
                <td>{g.handled}</td>
                <td>{p(g.firstResponseOnTimeRate)}</td>
                <td>{p(g.resolutionOnTimeRate)}</td>
                <td>{g.medianHandlingHours === null ? "—" : t("ovHours", { n: g.medianHandlingHours.toFixed(1) })}</td>
                <td>{p(g.satisfactionRate)}</td>
                <td>{p(g.reopenRate)}</td>
                <td>
                  {t("ovFindings", {
                    opened: g.accountability.opened,
                    justified: g.accountability.justified,
                    unjustified: g.accountability.unjustified,
                  })}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}

export function PerformancePage(context: PageContext) {
  const { t } = context;
  const [period, setPeriod] = useState<Period>(() => presetPeriod("thisQuarter", new Date()));
  return (
    <Frame id="performance" title={t("ovPerformance")} hint={t("ovPerformanceHint")} t={t}>
      <PeriodPicker idPrefix="perf-period" t={t} initial={period} onApply={setPeriod} />
      <PerformanceSection {...context} idPrefix="perf" period={period} />
    </Frame>
  );
}
