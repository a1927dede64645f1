// The queues: mine (assigned to me), my teams', and the unassigned, each the open complaints with the
// next deadline first, its time left, the escalation level, priority, risk flags and channel. The
// filters are the API's own (GET /v1/complaints): team, priority, flag, dueBefore.

import { useCallback, useEffect, useState } from "preact/hooks";

import { ApiError, apiSend, type Complaint, listComplaints, SignInRequired } from "./api";
import type { Identity } from "./auth";
import { BASE, type Config } from "./config";
import { byNextDeadline, deadlineLabel, nextDeadline, OPEN, timeLeft } from "./deadlines";
import type { Key, Lang, Translate } from "./i18n";
import { ComplaintFilterFields, DataTable, ErrorLine, FilterForm, FormActions, label, ListState } from "./ui";

export type QueueKind = "mine" | "team" | "unassigned";
export const QUEUES: readonly QueueKind[] = ["mine", "team", "unassigned"];
const TITLES: Record<QueueKind, Key> = { mine: "queueMine", team: "queueTeam", unassigned: "queueUnassigned" };
const HINTS: Record<QueueKind, Key> = {
  mine: "queueMineHint",
  team: "queueTeamHint",
  unassigned: "queueUnassignedHint",
};

interface Filters {
  team: string;
  priority: string;
  flag: string;
  dueBefore: string; // datetime-local, the viewer's zone
}
const NO_FILTERS: Filters = { team: "", priority: "", flag: "", dueBefore: "" };

interface Props {
  config: Config;
  identity: Identity;
  kind: QueueKind;
  lang: Lang;
  t: Translate;
  onSignInRequired: () => void;
}

function query(kind: QueueKind, identity: Identity, filters: Filters): URLSearchParams {
  const q = new URLSearchParams();
  if (kind === "mine") q.set("assignee", identity.username);
  if (kind === "unassigned") q.set("unassigned", "true");
  if (filters.team) q.set("team", filters.team);
  if (filters.priority) q.set("priority", filters.priority);
  if (filters.flag) q.set("flag", filters.flag);
  if (filters.dueBefore) q.set("dueBefore", new Date(filters.dueBefore).toISOString());
  return q;
}

function Tabs({ kind, t }: { kind: QueueKind; t: Translate }) {
  return (
    <nav class="tabs" aria-label={t("queues")}>
      {QUEUES.map((q) => (
        <a
          key={q}
          id={`tab-${q}`}
          href={`${BASE}queue/${q}`}
          aria-current={q === kind ? "page" : undefined}
          onClick={(e) => {
            e.preventDefault();
            history.pushState(null, "", `${BASE}queue/${q}`);
            dispatchEvent(new PopStateEvent("popstate"));
          }}
        >
          {t(TITLES[q])}
        </a>
      ))}
    </nav>
  );
}

const REFERENCE = /^cg-\d{6}-[0-9a-z]{6}$/i;

/** Find a complaint by the reference a customer quotes (any case): its page, or why not. */
function ReferenceSearch({ config, t }: { config: Config; t: Translate }) {
  const [reference, setReference] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const search = () => {
    const wanted = reference.trim();
    if (!REFERENCE.test(wanted)) return setProblem(t("searchInvalid"));
    setProblem(null);
    listComplaints(config, new URLSearchParams({ reference: wanted }), 1)
      .then(([found]) => {
        if (!found) return setProblem(t("searchNotFound", { reference: wanted.toUpperCase() }));
        history.pushState(null, "", `${BASE}complaints/${found.id}`);
        dispatchEvent(new PopStateEvent("popstate"));
      })
      .catch((e: Error) => setProblem(e.message));
  };
  return (
    <FilterForm label={t("search")} onApply={search}>
      <label>
        <span>{t("searchReference")}</span>
        <input
          id="search-reference"
          type="search"
          value={reference}
          placeholder="CG-261201-ABC123"
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? "search-problem" : undefined}
          onInput={(e) => setReference((e.target as HTMLInputElement).value)}
        />
      </label>
      <FormActions submitId="search-go" submit={t("searchGo")} />
      {problem && (
        <p id="search-problem" class="error" role="alert">
          {problem}
        </p>
      )}
    </FilterForm>
  );
}

function QueueFilters(props: {
  kind: QueueKind;
  identity: Identity;
  initial: Filters;
  t: Translate;
  onApply: (f: Filters) => void;
}) {
  const { kind, identity, initial, t, onApply } = props;
  const [draft, setDraft] = useState(initial);
  const set = (name: keyof Filters) => (e: Event) =>
    setDraft({ ...draft, [name]: (e.target as HTMLInputElement | HTMLSelectElement).value });
  return (
    <FilterForm label={t("filters")} onApply={() => onApply(draft)}>
      {kind !== "mine" && identity.teams.length > 0 && (
        <label>
          <span>{t("team")}</span>
          <select id="filter-team" value={draft.team} onChange={set("team")}>
            <option value="">{t("allMyTeams")}</option>
            {identity.teams.map((team) => (
              <option key={team} value={team}>
                {team}
              </option>
            ))}
          </select>
        </label>
      )}
      <ComplaintFilterFields idPrefix="filter" draft={draft} t={t} set={set} />
      <FormActions
        submitId="filter-apply"
        submit={t("apply")}
        secondary={t("clear")}
        onSecondary={() => {
          setDraft(NO_FILTERS);
          onApply(NO_FILTERS);
        }}
      />
    </FilterForm>
  );
}

interface RowProps {
  complaint: Complaint;
  now: number;
  lang: Lang;
  t: Translate;
  /** the unassigned queue: take it (assign it to me) */
  onTake?: (complaint: Complaint) => void;
  busy: boolean;
}

function Row({ complaint, now, lang, t, onTake, busy }: RowProps) {
  const next = nextDeadline(complaint);
  const when = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
  const left = next ? timeLeft(next, now, t) : null;
  const paused = complaint.status === "awaiting_customer" && complaint.pausedUntil;
  const flags = complaint.triage?.riskFlags ?? [];
  return (
    <tr data-reference={complaint.reference} data-id={complaint.id}>
      <td class="ref">
        <a href={`${BASE}complaints/${complaint.id}`} id={`open-${complaint.reference}`}>
          {complaint.reference}
        </a>
      </td>
      <td>{label(t, "status", complaint.status)}</td>
      <td>
        {next ? (
          <>
            <span class="kind">{t(deadlineLabel(next))}</span>{" "}
            <time dateTime={next.at.toISOString()}>{when.format(next.at)}</time>
          </>
        ) : (
          t("noDeadline")
        )}
      </td>
      <td class={left?.overdue ? "overdue" : left ? "left" : ""}>
        {paused ? t("paused", { until: when.format(new Date(complaint.pausedUntil as string)) }) : (left?.text ?? "")}
      </td>
      <td class={complaint.escalationLevel > 0 ? `level level-${complaint.escalationLevel}` : "level"}>
        {complaint.escalationLevel > 0 ? t("level", { n: complaint.escalationLevel }) : t("levelNone")}
      </td>
      <td class={`priority priority-${complaint.priority}`}>{label(t, "priority", complaint.priority)}</td>
      <td>
        {flags.map((f) => (
          <span key={f} class={`flag flag-${f}`}>
            {label(t, "flag", f)}
          </span>
        ))}
      </td>
      <td>{label(t, "channel", complaint.channel)}</td>
      <td>
        {complaint.assignee ?? <span class="muted">{t("unassigned")}</span>}
        {complaint.team ? <span class="muted"> · {complaint.team}</span> : null}
      </td>
      {onTake && (
        <td>
          <button
            type="button"
            class="small"
            id={`take-${complaint.reference}`}
            aria-label={`${t("take")} ${complaint.reference}`}
            disabled={busy}
            onClick={() => onTake(complaint)}
          >
            {t("take")}
          </button>
        </td>
      )}
    </tr>
  );
}

export function QueuePage({ config, identity, kind, lang, t, onSignInRequired }: Props) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<Complaint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    setError(null);
    listComplaints(config, query(kind, identity, filters))
      .then((found) => {
        setNow(Date.now());
        setItems(found.filter((c) => OPEN.has(c.status)).sort(byNextDeadline));
      })
      .catch((e: Error) => {
        if (e instanceof SignInRequired) return onSignInRequired();
        setItems([]);
        setError(t("loadFailed", { message: e instanceof ApiError ? e.message : String(e.message) }));
      });
  }, [config, kind, identity.username, filters]);

  useEffect(load, [load]);

  // Taking a complaint assigns it to me at the version this page read: if anyone changed it since,
  // the API refuses (409) and the queue is read again, never a silent overwrite.
  const take = (complaint: Complaint) => {
    setBusy(true);
    setNotice(null);
    apiSend<Complaint>(config, "PATCH", `/v1/complaints/${complaint.id}`, { assignee: identity.username }, complaint.version)
      .then(() => setNotice({ text: t("taken", { reference: complaint.reference }), error: false }))
      .catch((e: Error) => {
        if (e instanceof SignInRequired) return onSignInRequired();
        const stale = e instanceof ApiError && e.status === 409 && e.code === "version_conflict";
        setNotice({
          text: stale
            ? t("takeStale", { reference: complaint.reference })
            : t("takeFailed", { reference: complaint.reference, message: e.message }),
          error: true,
        });
      })
      .finally(() => {
        setBusy(false);
        load();
      });
  };
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <main>
      <Tabs kind={kind} t={t} />
      <div class="heading">
        <h1 id="queue-title">{t(TITLES[kind])}</h1>
        <button type="button" id="refresh" class="secondary" onClick={load}>
          {t("refresh")}
        </button>
      </div>
      <p class="muted">
        {t(HINTS[kind])} {t("timesIn", { zone })}
      </p>
      <ReferenceSearch config={config} t={t} />
      <QueueFilters kind={kind} identity={identity} initial={filters} t={t} onApply={setFilters} />
      <p id="notice" role="status" class={notice?.error ? "error" : "notice"}>
        {notice?.text ?? ""}
      </p>
      <ErrorLine text={error} />
      <ListState items={items} t={t} emptyId="queue-empty" empty={t("empty")} countId="queue-count">
        {(items) => (
          <DataTable
            id="queue"
            columns={[
              t("colReference"),
              t("colStatus"),
              t("colNextDeadline"),
              t("colTimeLeft"),
              t("colEscalation"),
              t("colPriority"),
              t("colFlags"),
              t("colChannel"),
              t("colAssignee"),
              kind === "unassigned" && t("colAction"),
            ]}
          >
            {items.map((c) => (
              <Row
                key={c.id}
                complaint={c}
                now={now}
                lang={lang}
                t={t}
                busy={busy}
                onTake={kind === "unassigned" ? take : undefined}
              />
            ))}
          </DataTable>
        )}
      </ListState>
    </main>
  );
}
