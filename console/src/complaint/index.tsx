// The complaint page: /console/complaints/{id}. Everything a handler works a complaint from: the
// customer, the description and attachments, triage, the deadlines (in the viewer's time zone and the
// policy's), linked complaints, similar past cases, the timeline, and the actions the viewer's role
// allows. Every change is sent at the version read (If-Match): a stale one is the API's 409, explained,
// and the complaint is read again; the viewer's drafts stay in the forms, so nothing is overwritten.

import "./complaint.css";

import type { ComponentChildren, JSX } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

import { SignInRequired } from "../api";
import type { Area, PageContext } from "../area";
import { BASE } from "../config";
import { duration } from "../deadlines";
import { type Key, known, type Translate } from "../i18n";
import {
  act,
  addToLibrary,
  attachFile,
  attachmentUrl,
  type AuditEvent,
  type ComplaintDetail,
  getComplaint,
  getPolicyZones,
  getSimilar,
  getTrail,
  type NotificationRecord,
  type Redress,
  type SimilarCase,
  update,
  UploadFailed,
} from "./api";
import {
  ACTIONS,
  ATTACHMENT_ACCEPT,
  attachmentType,
  type Allowed,
  allowedActions,
  bothZones,
  changeSummary,
  deadlineRows,
  eventText,
  formatIn,
  InvalidChoice,
  isoFromLocal,
  localNow,
  MAX_ATTACHMENT_BYTES,
  policyZone,
  type PolicyZones,
  type Problem,
  problemOf,
  template,
  TEMPLATE_IDS,
  type TemplateId,
  timeline,
} from "./model";

const PATH = /^complaints\/([\w-]+)$/;

export const complaintArea: Area = {
  page(path: string, context: PageContext) {
    const match = PATH.exec(path);
    return match ? <ComplaintPage key={match[1]} id={match[1]} context={context} /> : null;
  },
  links: () => [],
};

function go(path: string): void {
  history.pushState(null, "", `${BASE}${path}`);
  dispatchEvent(new PopStateEvent("popstate"));
}

/** A link inside the console: followed without reloading the app (a modified click opens a tab). */
function AppLink({ path, children, id }: { path: string; children: ComponentChildren; id?: string }) {
  return (
    <a
      id={id}
      href={`${BASE}${path}`}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        go(path);
      }}
    >
      {children}
    </a>
  );
}

function label(t: Translate, prefix: string, value: string | null | undefined): string {
  if (!value) return "";
  const key = known(prefix, value);
  return key ? t(key) : value;
}

const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

// --- the page ---------------------------------------------------------------------------------------

function ComplaintPage({ id, context }: { id: string; context: PageContext }) {
  const { config, identity, lang, t, onSignInRequired } = context;
  const [complaint, setComplaint] = useState<ComplaintDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [trail, setTrail] = useState<{ events: AuditEvent[]; notifications: NotificationRecord[] } | null>(null);
  const [trailError, setTrailError] = useState<string | null>(null);
  const [similar, setSimilar] = useState<SimilarCase[] | null>(null);
  const [similarError, setSimilarError] = useState<string | null>(null);
  const [zones, setZones] = useState<PolicyZones | null>(null);
  const [now, setNow] = useState(Date.now());
  const [notice, setNotice] = useState<string>("");
  const [conflict, setConflict] = useState<string>("");
  const conflictRef = useRef<HTMLParagraphElement>(null);

  const failed = (e: Error, set: (message: string) => void, key: Key) => {
    if (e instanceof SignInRequired) return onSignInRequired();
    set(t(key, { message: e.message }));
  };

  const loadTrail = useCallback(() => {
    getTrail(config, id)
      .then((found) => {
        setTrail(found);
        setTrailError(null);
      })
      .catch((e: Error) => failed(e, setTrailError, "cp_timelineFailed"));
  }, [config, id, t]);

  const load = useCallback(() => {
    getComplaint(config, id)
      .then((found) => {
        setComplaint(found);
        setLoadError(null);
        setNow(Date.now());
      })
      .catch((e: Error) => failed(e, setLoadError, "cp_loadFailed"));
    loadTrail();
  }, [config, id, t, loadTrail]);

  useEffect(() => {
    load();
    getSimilar(config, id)
      .then(setSimilar)
      .catch((e: Error) => failed(e, setSimilarError, "cp_similarFailed"));
    // Without the policies' zones the deadlines read in the viewer's zone only.
    getPolicyZones(config)
      .then(setZones)
      .catch((e: Error) => (e instanceof SignInRequired ? onSignInRequired() : undefined));
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [id]);

  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  /** Send one change at the version read; a stale version is explained and the complaint read again. */
  const run = async (action: keyof Allowed, send: (version: number) => Promise<unknown>): Promise<Problem | null> => {
    if (!complaint) return null;
    const read = complaint.version;
    setNotice("");
    setConflict("");
    try {
      const answer = await send(read);
      if (answer && typeof answer === "object" && (answer as ComplaintDetail).id === complaint.id) {
        setComplaint(answer as ComplaintDetail);
        loadTrail();
      } else {
        load();
      }
      setNotice(t("cp_saved", { action: t(`cp_action_${action}` as Key) }));
      return null;
    } catch (e) {
      if (e instanceof SignInRequired) {
        onSignInRequired();
        return null;
      }
      // The file was listed (a new version) before the store refused it: show the complaint as it is.
      if (e instanceof UploadFailed) load();
      const problem = problemOf(e);
      if (problem.kind === "stale") {
        setConflict(t("cp_stale", { read }));
        load();
      }
      return problem;
    }
  };

  if (!complaint) {
    return (
      <main class="complaint">
        <p>
          <AppLink path="queue/mine">{t("cp_backToQueue")}</AppLink>
        </p>
        {loadError ? (
          <p class="error" role="alert" id="load-error">
            {loadError}
          </p>
        ) : (
          <p role="status">{t("loading")}</p>
        )}
      </main>
    );
  }

  const allowed = allowedActions(identity, complaint);
  return (
    <main class="complaint" data-version={complaint.version} data-status={complaint.status}>
      <p class="cp-back">
        <AppLink path="queue/mine">{t("cp_backToQueue")}</AppLink>
      </p>
      <h1 id="complaint-title">{t("cp_title", { reference: complaint.reference })}</h1>
      <Overview complaint={complaint} zones={zones} lang={lang} t={t} />
      {complaint.legalHold && (
        <p class="notice" id="legal-hold">
          {t("cp_legalHold", {
            when: formatIn(new Date(complaint.legalHold.placedAt), lang, viewerZone()),
            who: complaint.legalHold.placedBy,
            reason: complaint.legalHold.reason,
          })}{" "}
          <a href={`${BASE}oversight/trail?complaint=${encodeURIComponent(complaint.id)}`}>{t("cp_legalHoldManage")}</a>
        </p>
      )}
      {loadError && (
        <p class="error" role="alert">
          {loadError}
        </p>
      )}
      <div class="cp-grid">
        <div class="cp-main">
          <Deadlines complaint={complaint} zones={zones} lang={lang} now={now} t={t} />
          <section aria-labelledby="cp-description">
            <h2 id="cp-description">{t("cp_description")}</h2>
            <p class="cp-text" id="description">
              {complaint.description}
            </p>
          </section>
          <section aria-labelledby="cp-actions" class="cp-actions">
            <h2 id="cp-actions">{t("cp_actions")}</h2>
            <p id="conflict" class="error cp-conflict" role="alert" tabIndex={-1} ref={conflictRef}>
              {conflict}
            </p>
            <p id="action-notice" class="notice" role="status">
              {notice}
            </p>
            <Actions
              allowed={allowed}
              complaint={complaint}
              context={context}
              run={run}
            />
          </section>
          <Timeline trail={trail} error={trailError} lang={lang} t={t} />
          {identity.role && TRAIL_VERIFIERS.has(identity.role) && (
            <p>
              <a id="verify-trail" href={`${BASE}oversight/trail?complaint=${encodeURIComponent(complaint.id)}`}>
                {t("cp_verifyTrail")}
              </a>
            </p>
          )}
        </div>
        <div class="cp-side">
          <CustomerPanel complaint={complaint} t={t} />
          <TriagePanel complaint={complaint} lang={lang} t={t} />
          <Attachments complaint={complaint} context={context} />
          <Links complaint={complaint} lang={lang} t={t} />
          <Similar items={similar} error={similarError} t={t} />
        </div>
      </div>
    </main>
  );
}

// --- what the complaint says ---------------------------------------------------------------------

function Overview(props: { complaint: ComplaintDetail; zones: PolicyZones | null; lang: string; t: Translate }) {
  const { complaint, lang, t } = props;
  const inferred = (field: string) =>
    complaint.unclassified?.includes(field) ? <span class="muted"> ({t("cp_inferred")})</span> : null;
  const zone = policyZone(complaint.slaPolicy, props.zones);
  return (
    <dl class="cp-overview" id="overview">
      <div>
        <dt>{t("colStatus")}</dt>
        <dd id="status">{label(t, "status", complaint.status)}</dd>
      </div>
      <div>
        <dt>{t("priority")}</dt>
        <dd class={`priority-${complaint.priority}`}>{label(t, "priority", complaint.priority)}</dd>
      </div>
      <div>
        <dt>{t("colEscalation")}</dt>
        <dd class={complaint.escalationLevel > 0 ? `level-${complaint.escalationLevel}` : ""}>
          {complaint.escalationLevel > 0 ? t("level", { n: complaint.escalationLevel }) : t("levelNone")}
        </dd>
      </div>
      <div>
        <dt>{t("colChannel")}</dt>
        <dd>{label(t, "channel", complaint.channel)}</dd>
      </div>
      <div>
        <dt>{t("cp_category")}</dt>
        <dd>
          {label(t, "cp_cat", complaint.category)}
          {complaint.subcategory ? ` · ${complaint.subcategory}` : ""}
          {inferred("category")}
        </dd>
      </div>
      <div>
        <dt>{t("cp_product")}</dt>
        <dd>
          {label(t, "cp_prod", complaint.product)}
          {inferred("product")}
        </dd>
      </div>
      <div>
        <dt>{t("cp_complexity")}</dt>
        <dd>{label(t, "cp_cx", complaint.complexity)}</dd>
      </div>
      <div>
        <dt>{t("colAssignee")}</dt>
        <dd id="assignee">
          {complaint.assignee ?? t("unassigned")}
          {complaint.team ? ` · ${complaint.team}` : ""}
        </dd>
      </div>
      <div>
        <dt>{t("cp_policy")}</dt>
        <dd>
          {complaint.slaPolicy}
          {zone ? ` (${zone})` : ""}
        </dd>
      </div>
      <div>
        <dt>{t("cp_received")}</dt>
        <dd>
          <time dateTime={complaint.receivedAt}>{formatIn(new Date(complaint.receivedAt), lang, viewerZone())}</time>
        </dd>
      </div>
      <div>
        <dt>{t("cp_version")}</dt>
        <dd id="version">{complaint.version}</dd>
      </div>
    </dl>
  );
}

function Deadlines(props: {
  complaint: ComplaintDetail;
  zones: PolicyZones | null;
  lang: string;
  now: number;
  t: Translate;
}) {
  const { complaint, lang, now, t } = props;
  const zone = viewerZone();
  const policy = policyZone(complaint.slaPolicy, props.zones);
  const rows = deadlineRows(complaint, now).map((row) => ({
    row,
    due: bothZones(row.due, lang, zone, policy),
  }));
  const showPolicy = rows.some(({ due }) => due.policy !== null);
  const state = (row: (typeof rows)[number]["row"]): string => {
    const at = row.doneAt ? formatIn(row.doneAt, lang, zone) : "";
    switch (row.state) {
      case "met":
        return t("cp_state_met", { when: at });
      case "late":
        return t("cp_state_late", { when: at });
      case "paused":
        return t("cp_state_paused", {
          until: complaint.pausedUntil ? formatIn(new Date(complaint.pausedUntil), lang, zone) : "—",
        });
      case "ended":
        return t("cp_state_ended");
      default: {
        const ms = row.due.getTime() - now;
        return ms >= 0
          ? t("left", { duration: duration(ms, t) })
          : t("overdue", { duration: duration(ms, t) });
      }
    }
  };
  return (
    <section aria-labelledby="cp-deadlines">
      <h2 id="cp-deadlines">{t("cp_deadlines")}</h2>
      <div class="table-wrap">
        <table id="deadlines">
          <thead>
            <tr>
              <th scope="col">{t("cp_deadline")}</th>
              <th scope="col">{t("cp_due", { zone })}</th>
              {showPolicy && <th scope="col">{t("cp_duePolicy", { zone: policy ?? "" })}</th>}
              <th scope="col">{t("cp_state")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ row, due }) => (
              <tr key={row.kind} data-deadline={row.kind} data-state={row.state}>
                <th scope="row">{t(`deadline_${row.kind}`)}</th>
                <td>
                  <time dateTime={row.due.toISOString()}>{due.viewer}</time>
                </td>
                {showPolicy && <td class="policy-time">{due.policy ?? t("cp_same")}</td>}
                <td class={`cp-state cp-state-${row.state}`}>{state(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {complaint.status === "awaiting_customer" && complaint.pauseNeeded && (
        <p>{t("cp_pauseNeeded", { needed: complaint.pauseNeeded })}</p>
      )}
      {complaint.solutionPlan && (
        <div class="cp-block">
          <h3>{t("cp_solutionPlanGiven")}</h3>
          <p class="cp-text">{complaint.solutionPlan.plan}</p>
        </div>
      )}
      {complaint.resolution && (
        <div class="cp-block" id="resolution">
          <h3>{t("cp_resolution")}</h3>
          <dl class="cp-pairs">
            <dt>{t("cp_outcome")}</dt>
            <dd>{label(t, "cp_outcome", complaint.resolution.outcome)}</dd>
            <dt>{t("cp_summary")}</dt>
            <dd class="cp-text">{complaint.resolution.summary}</dd>
            <dt>{t("cp_rootCause")}</dt>
            <dd>{complaint.resolution.rootCause}</dd>
            {complaint.resolution.redress && (
              <>
                <dt>{t("cp_redress")}</dt>
                <dd>{redressText(complaint.resolution.redress)}</dd>
              </>
            )}
          </dl>
        </div>
      )}
      {complaint.status === "resolved" && complaint.closesAt && (
        <p>{t("cp_closesAt", { when: formatIn(new Date(complaint.closesAt), lang, zone) })}</p>
      )}
      {complaint.customerAcceptance && (
        <p>
          {t("cp_accepted", {
            via: label(t, "cp_via", complaint.customerAcceptance.receivedVia),
            when: formatIn(new Date(complaint.customerAcceptance.receivedAt), lang, zone),
          })}
        </p>
      )}
    </section>
  );
}

function redressText(redress: Redress): string {
  return [`${redress.amount} ${redress.currency ?? ""}`.trim(), redress.description ?? ""].filter(Boolean).join(" · ");
}

function CustomerPanel({ complaint, t }: { complaint: ComplaintDetail; t: Translate }) {
  const c = complaint.customer;
  return (
    <section aria-labelledby="cp-customer" class="cp-panel">
      <h2 id="cp-customer">{t("cp_customer")}</h2>
      {c.erased && <p class="muted">{t("cp_erased")}</p>}
      <dl class="cp-pairs" id="customer">
        <dt>{t("cp_name")}</dt>
        <dd>{c.name}</dd>
        <dt>{t("cp_customerId")}</dt>
        <dd>{c.customerId}</dd>
        {c.phone && (
          <>
            <dt>{t("cp_phone")}</dt>
            <dd>{c.phone}</dd>
          </>
        )}
        {c.email && (
          <>
            <dt>{t("cp_email")}</dt>
            <dd>{c.email}</dd>
          </>
        )}
        <dt>{t("cp_preferredContact")}</dt>
        <dd>{(c.preferredContact ?? []).map((m) => (m === "email" ? t("cp_email") : "SMS")).join(", ") || "—"}</dd>
        <dt>{t("cp_customerLanguage")}</dt>
        <dd lang={c.language ?? "zh-CN"}>{c.language === "en" ? "English" : "简体中文"}</dd>
        {c.segment && (
          <>
            <dt>{t("cp_segment")}</dt>
            <dd>{c.segment}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function TriagePanel({ complaint, lang, t }: { complaint: ComplaintDetail; lang: string; t: Translate }) {
  const triage = complaint.triage;
  return (
    <section aria-labelledby="cp-triage" class="cp-panel">
      <h2 id="cp-triage">{t("cp_triage")}</h2>
      {!triage ? (
        <p class="muted">{t("cp_noTriage")}</p>
      ) : (
        <dl class="cp-pairs" id="triage">
          <dt>{t("cp_flags")}</dt>
          <dd>
            {(triage.riskFlags ?? []).length
              ? (triage.riskFlags ?? []).map((f) => (
                  <span key={f} class={`flag flag-${f}`}>
                    {label(t, "flag", f)}
                  </span>
                ))
              : t("cp_noFlags")}
          </dd>
          <dt>{t("cp_sensitive")}</dt>
          <dd>{triage.sensitive ? t("cp_yes") : t("cp_no")}</dd>
          <dt>{t("cp_sentiment")}</dt>
          <dd>
            {label(t, "cp_sent", triage.sentiment.label)} ({triage.sentiment.score.toFixed(2)})
          </dd>
          <dt>{t("cp_churn")}</dt>
          <dd>{label(t, "cp_churn", triage.churnRisk)}</dd>
          <dt>{t("cp_suggestedTeam")}</dt>
          <dd>{triage.suggestedTeam ?? "—"}</dd>
          <dt>{t("cp_category")}</dt>
          <dd>
            {label(t, "cp_cat", triage.category)}
            {complaint.unclassified?.includes("category") ? ` (${t("cp_inferred")})` : ""}
          </dd>
          <dt>{t("cp_product")}</dt>
          <dd>
            {label(t, "cp_prod", triage.product)}
            {complaint.unclassified?.includes("product") ? ` (${t("cp_inferred")})` : ""}
          </dd>
          <dt>{t("cp_model")}</dt>
          <dd>
            {triage.model} · <time dateTime={triage.at}>{formatIn(new Date(triage.at), lang, viewerZone())}</time>
          </dd>
        </dl>
      )}
    </section>
  );
}

function Attachments({ complaint, context }: { complaint: ComplaintDetail; context: PageContext }) {
  const { config, lang, t, onSignInRequired } = context;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const items = complaint.attachments ?? [];
  const download = (attachmentId: string, file: string) => {
    setErrors((known) => ({ ...known, [attachmentId]: "" }));
    attachmentUrl(config, complaint.id, attachmentId)
      .then((url) => location.assign(url))
      .catch((e: Error) => {
        if (e instanceof SignInRequired) return onSignInRequired();
        setErrors((known) => ({ ...known, [attachmentId]: t("cp_downloadFailed", { file, message: e.message }) }));
      });
  };
  return (
    <section aria-labelledby="cp-attachments" class="cp-panel">
      <h2 id="cp-attachments">{t("cp_attachments")}</h2>
      {items.length === 0 ? (
        <p class="muted">{t("cp_noAttachments")}</p>
      ) : (
        <ul class="cp-list" id="attachments">
          {items.map((a) => (
            <li key={a.id}>
              <button type="button" class="link" onClick={() => download(a.id, a.fileName)}>
                {t("cp_download", { file: a.fileName })}
              </button>
              <span class="muted">
                {" "}
                {a.contentType}, {Math.max(1, Math.round(a.size / 1024))} KB ·{" "}
                {t("cp_scan", { status: label(t, "cp_scan", a.scanStatus) })} ·{" "}
                {t("cp_addedBy", { who: a.addedBy, when: formatIn(new Date(a.addedAt), lang, viewerZone()) })}
              </span>
              {errors[a.id] && (
                <p class="error" role="alert">
                  {errors[a.id]}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Links({ complaint, lang, t }: { complaint: ComplaintDetail; lang: string; t: Translate }) {
  const links = complaint.links ?? [];
  return (
    <section aria-labelledby="cp-links" class="cp-panel">
      <h2 id="cp-links">{t("cp_links")}</h2>
      {links.length === 0 ? (
        <p class="muted">{t("cp_noLinks")}</p>
      ) : (
        <ul class="cp-list" id="links">
          {links.map((link) => (
            <li key={link.complaintId}>
              <AppLink path={`complaints/${link.complaintId}`}>{link.reference}</AppLink>
              <span class="muted">
                {" "}
                {t("cp_similarity", { percent: Math.round(link.similarity * 100) })} ·{" "}
                {t("cp_linkedAt", { when: formatIn(new Date(link.linkedAt), lang, viewerZone()) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Similar({ items, error, t }: { items: SimilarCase[] | null; error: string | null; t: Translate }) {
  return (
    <section aria-labelledby="cp-similar" class="cp-panel">
      <h2 id="cp-similar">{t("cp_similar")}</h2>
      {error ? (
        <p class="error">{error}</p>
      ) : items === null ? (
        <p role="status">{t("loading")}</p>
      ) : items.length === 0 ? (
        <p class="muted">{t("cp_noSimilar")}</p>
      ) : (
        <ul class="cp-list" id="similar">
          {items.map((c) => (
            <li key={c.complaintId} class="cp-case">
              <h3>
                {c.reference} · {label(t, "cp_outcome", c.outcome)}
              </h3>
              <p class="muted">
                {t("cp_similarity", { percent: Math.round(c.similarity * 100) })} ·{" "}
                {t("cp_days", { days: Math.round(c.daysToResolve * 10) / 10 })}
                {c.rating ? ` · ${t("cp_rating", { rating: c.rating })}` : ""}
              </p>
              <dl class="cp-pairs">
                <dt>{t("cp_summary")}</dt>
                <dd class="cp-text">{c.summary}</dd>
                <dt>{t("cp_rootCause")}</dt>
                <dd>{c.rootCause}</dd>
                {c.redress && (
                  <>
                    <dt>{t("cp_redress")}</dt>
                    <dd>{redressText(c.redress)}</dd>
                  </>
                )}
                {c.libraryCase && (
                  <>
                    <dt>{t("cp_lesson")}</dt>
                    <dd>
                      <strong>{t("cp_libraryCase", { title: c.libraryCase.title })}</strong> {c.libraryCase.lesson}
                    </dd>
                  </>
                )}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// Who may check a trail's integrity (the API's verify permission): the oversight area's trail page.
const TRAIL_VERIFIERS = new Set(["supervisor", "manager", "compliance"]);

function Timeline(props: {
  trail: { events: AuditEvent[]; notifications: NotificationRecord[] } | null;
  error: string | null;
  lang: string;
  t: Translate;
}) {
  const { trail, error, lang, t } = props;
  const entries = trail ? timeline(trail.events, trail.notifications) : [];
  const zone = viewerZone();
  return (
    <section aria-labelledby="cp-timeline">
      <h2 id="cp-timeline">{t("cp_timeline")}</h2>
      {error && <p class="error">{error}</p>}
      {!trail && !error && <p role="status">{t("loading")}</p>}
      {trail && entries.length === 0 && <p class="muted">{t("cp_noTimeline")}</p>}
      {entries.length > 0 && (
        <ol class="cp-timeline" id="timeline">
          {entries.map((entry) => {
            const at = <time dateTime={entry.at}>{formatIn(new Date(entry.at), lang, zone)}</time>;
            if (entry.type === "message") {
              const n = entry.notification;
              return (
                <li key={`${n.eventId}:${n.messageKey}:${n.at}`} class="cp-sent" data-kind="message">
                  {at}{" "}
                  {t("cp_sentTo", { kind: label(t, "cp_msg", n.kind), channel: n.channel, recipient: n.recipient })}
                  {n.status === "failed" && <span class="error"> · {t("cp_sendFailed", { code: n.errorCode ?? "" })}</span>}
                </li>
              );
            }
            const e = entry.event;
            const text = eventText(e);
            const changed = changeSummary(e);
            const kind = e.action === "note" ? "note" : e.action === "respond" ? "response" : "event";
            return (
              <li key={e.id} class={`cp-${kind}`} data-action={e.action}>
                {at} <strong>{label(t, "cp_ev", e.action)}</strong>{" "}
                <span class="muted">{t("cp_by", { actor: e.actor.id })}</span>
                {changed && <p class="cp-changes muted">{changed}</p>}
                {text && (
                  <p class="cp-text">
                    {kind === "note" && <span class="cp-tag">{t("cp_noteLabel")}: </span>}
                    {kind === "response" && <span class="cp-tag">{t("cp_messageLabel")}: </span>}
                    {text}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

// --- the actions -------------------------------------------------------------------------------------

type Run = (action: keyof Allowed, send: (version: number) => Promise<unknown>) => Promise<Problem | null>;

const VIA_REQUEST = ["phone", "letter", "branch", "email", "online_banking", "mobile_app"];
const OUTCOMES = ["upheld", "partially_upheld", "not_upheld"];

/** The form's non-empty values, trimmed. */
function values(form: HTMLFormElement): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    const text = String(value).trim();
    if (text) found[name] = text;
  }
  return found;
}

function Actions({ allowed, complaint, context, run }: { allowed: Allowed; complaint: ComplaintDetail; context: PageContext; run: Run }) {
  const { config, identity, t } = context;
  const shown = ACTIONS.filter((a) => allowed[a]);
  if (!shown.length) return <p class="muted" id="no-actions">{t("cp_noActions")}</p>;
  const send = (action: Parameters<typeof act>[2], body: Record<string, unknown>) => (version: number) =>
    act(config, complaint.id, action, body, version);
  const id = complaint.id;
  return (
    <div class="cp-forms">
      {identity.role === "compliance" && <p class="muted">{t("cp_readOnlyCompliance")}</p>}
      {allowed.respond && (
        <ActionForm name="respond" t={t} open run={run} build={(v) => send("responses", { message: v.message })}>
          {(errors, form) => (
            <>
              <Field form="respond" name="template" label={t("cp_template")} errors={errors}>
                {(attrs) => (
                  <select
                    {...attrs}
                    onChange={(e) => {
                      const chosen = (e.target as HTMLSelectElement).value as TemplateId | "";
                      const area = form()?.elements.namedItem("message") as HTMLTextAreaElement | null;
                      if (area && chosen) area.value = template(chosen, complaint);
                    }}
                  >
                    <option value="">{t("cp_noTemplate")}</option>
                    {TEMPLATE_IDS.map((tid) => (
                      <option key={tid} value={tid}>
                        {t(`cp_tpl_${tid}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field form="respond" name="message" label={t("cp_message")} errors={errors} required>
                {(attrs) => <textarea {...attrs} rows={6} lang={complaint.customer.language ?? "zh-CN"} />}
              </Field>
            </>
          )}
        </ActionForm>
      )}
      {allowed.note && (
        <ActionForm
          name="note"
          t={t}
          open={!allowed.respond}
          run={run}
          build={(v) => send("responses", { message: v.message, internal: true })}
        >
          {(errors) => (
            <Field form="note" name="message" label={t("cp_note")} errors={errors} required>
              {(attrs) => <textarea {...attrs} rows={3} />}
            </Field>
          )}
        </ActionForm>
      )}
      {allowed.assign && (
        <ActionForm
          name="assign"
          t={t}
          run={run}
          build={(v) => (version) => {
            const body: Record<string, unknown> = {};
            if (v.assignee && v.assignee !== complaint.assignee) body.assignee = v.assignee;
            if (v.team && v.team !== complaint.team) body.team = v.team;
            return update(config, id, body, version);
          }}
        >
          {(errors, form) => (
            <>
              <Field form="assign" name="assignee" label={t("cp_assignee")} errors={errors}>
                {(attrs) => <input {...attrs} type="text" defaultValue={complaint.assignee ?? ""} autoComplete="off" />}
              </Field>
              <button
                type="button"
                class="secondary small"
                id="assign-me"
                onClick={() => {
                  const input = form()?.elements.namedItem("assignee") as HTMLInputElement | null;
                  if (input) input.value = identity.username;
                }}
              >
                {t("cp_assignMe")}
              </button>
              <Field form="assign" name="team" label={t("team")} errors={errors}>
                {(attrs) => (
                  <>
                    <input {...attrs} type="text" list="assign-teams" defaultValue={complaint.team ?? ""} autoComplete="off" />
                    <datalist id="assign-teams">
                      {identity.teams.map((team) => (
                        <option key={team} value={team} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
            </>
          )}
        </ActionForm>
      )}
      {allowed.pause && (
        <ActionForm
          name="pause"
          t={t}
          run={run}
          build={(v) => send("pause", { reason: v.reason, needed: v.needed, until: isoFromLocal(v.until ?? "") || undefined })}
        >
          {(errors) => (
            <>
              <TextField form="pause" name="reason" label={t("cp_reason")} errors={errors} required />
              <TextField form="pause" name="needed" label={t("cp_needed")} errors={errors} required area />
              <Field form="pause" name="until" label={t("cp_until")} errors={errors}>
                {(attrs) => <input {...attrs} type="datetime-local" />}
              </Field>
            </>
          )}
        </ActionForm>
      )}
      {allowed.resume && (
        <ActionForm name="resume" t={t} run={run} build={(v) => send("resume", { reason: v.reason })}>
          {(errors) => <TextField form="resume" name="reason" label={t("cp_reasonOptional")} errors={errors} />}
        </ActionForm>
      )}
      {allowed.extend && (
        <ActionForm name="extend" t={t} run={run} build={(v) => send("extend", { reason: v.reason })}>
          {(errors) => (
            <>
              <p class="muted">{t("cp_extendHint")}</p>
              <TextField form="extend" name="reason" label={t("cp_reason")} errors={errors} required />
            </>
          )}
        </ActionForm>
      )}
      {allowed.escalate && (
        <ActionForm name="escalate" t={t} run={run} build={(v) => send("escalate", { reason: v.reason })}>
          {(errors) => <TextField form="escalate" name="reason" label={t("cp_reason")} errors={errors} required />}
        </ActionForm>
      )}
      {allowed.solutionPlan && (
        <ActionForm
          name="solutionPlan"
          t={t}
          run={run}
          build={(v) =>
            send("solution-plan", { plan: v.plan, resolveBy: isoFromLocal(v.resolveBy ?? "") || undefined, reason: v.reason })
          }
        >
          {(errors) => (
            <>
              <TextField form="solutionPlan" name="plan" label={t("cp_plan")} errors={errors} required area />
              <Field form="solutionPlan" name="resolveBy" label={t("cp_resolveBy")} errors={errors} required>
                {(attrs) => <input {...attrs} type="datetime-local" />}
              </Field>
              <TextField form="solutionPlan" name="reason" label={t("cp_reasonOptional")} errors={errors} />
            </>
          )}
        </ActionForm>
      )}
      {allowed.resolve && (
        <ActionForm
          name="resolve"
          t={t}
          run={run}
          build={(v) =>
            send("resolve", {
              outcome: v.outcome,
              summary: v.summary,
              rootCause: v.rootCause,
              redress: v.redressAmount
                ? { amount: v.redressAmount, currency: v.currency ?? "CNY", description: v.redressDescription }
                : undefined,
            })
          }
        >
          {(errors) => (
            <>
              <Field form="resolve" name="outcome" label={t("cp_outcome")} errors={errors} required>
                {(attrs) => (
                  <select {...attrs}>
                    <option value="">{t("cp_choose")}</option>
                    {OUTCOMES.map((o) => (
                      <option key={o} value={o}>
                        {label(t, "cp_outcome", o)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <TextField form="resolve" name="summary" label={t("cp_summary")} errors={errors} required area />
              <TextField form="resolve" name="rootCause" label={t("cp_rootCause")} errors={errors} required />
              <Field form="resolve" name="redressAmount" label={t("cp_redressAmount")} errors={errors}>
                {(attrs) => <input {...attrs} type="text" inputMode="decimal" />}
              </Field>
              <Field form="resolve" name="currency" label={t("cp_currency")} errors={errors}>
                {(attrs) => <input {...attrs} type="text" defaultValue="CNY" maxLength={3} />}
              </Field>
              <TextField form="resolve" name="redressDescription" label={t("cp_redressDescription")} errors={errors} />
            </>
          )}
        </ActionForm>
      )}
      {allowed.close && (
        <ActionForm
          name="close"
          t={t}
          run={run}
          build={(v) =>
            send("close", {
              receivedVia: v.receivedVia,
              receivedAt: v.receivedVia ? isoFromLocal(v.receivedAt ?? "") || undefined : undefined,
              reason: v.reason,
            })
          }
        >
          {(errors) => (
            <>
              {complaint.customerAcceptance && <p class="muted">{t("cp_acceptedAlready")}</p>}
              <ViaField form="close" label={t("cp_acceptedVia")} errors={errors} t={t} required={!complaint.customerAcceptance} />
              <WhenField form="close" t={t} errors={errors} />
              <TextField form="close" name="reason" label={t("cp_reasonOptional")} errors={errors} />
            </>
          )}
        </ActionForm>
      )}
      {allowed.withdraw && (
        <ActionForm
          name="withdraw"
          t={t}
          run={run}
          build={(v) =>
            send("withdraw", {
              receivedVia: v.receivedVia,
              receivedAt: isoFromLocal(v.receivedAt ?? "") || undefined,
              reason: v.reason,
            })
          }
        >
          {(errors) => (
            <>
              <ViaField form="withdraw" label={t("cp_receivedVia")} errors={errors} t={t} required />
              <WhenField form="withdraw" t={t} errors={errors} />
              <TextField form="withdraw" name="reason" label={t("cp_reasonOptional")} errors={errors} />
            </>
          )}
        </ActionForm>
      )}
      {allowed.reopen && (
        <ActionForm
          name="reopen"
          t={t}
          run={run}
          build={(v) => send("reopen", { reason: v.reason, handlingWrong: v.handlingWrong === "on" })}
        >
          {(errors) => (
            <>
              <TextField form="reopen" name="reason" label={t("cp_reopenReason")} errors={errors} required area />
              <div class="cp-field">
                <input type="checkbox" id="reopen-handlingWrong" name="handlingWrong" />{" "}
                <label for="reopen-handlingWrong">{t("cp_handlingWrong")}</label>
              </div>
            </>
          )}
        </ActionForm>
      )}
      {allowed.attach && (
        <ActionForm
          name="attach"
          t={t}
          run={run}
          build={() => async (version) => {
            const file = (document.getElementById("attach-file") as HTMLInputElement | null)?.files?.[0];
            if (!file) throw new InvalidChoice("file", t("cp_attachChoose"));
            const contentType = attachmentType(file.name);
            if (!contentType) throw new InvalidChoice("file", t("cp_attachType", { file: file.name }));
            if (file.size === 0) throw new InvalidChoice("file", t("cp_attachEmpty", { file: file.name }));
            if (file.size > MAX_ATTACHMENT_BYTES) {
              const size = (file.size / 1024 / 1024).toFixed(1);
              throw new InvalidChoice("file", t("cp_attachSize", { file: file.name, size }));
            }
            try {
              return await attachFile(config, id, file, contentType, version);
            } catch (e) {
              if (e instanceof UploadFailed) {
                throw new UploadFailed(t("cp_uploadFailed", { file: file.name, message: e.message }));
              }
              throw e;
            }
          }}
        >
          {(errors) => (
            <Field form="attach" name="file" label={t("cp_attachFile")} errors={errors} required>
              {(attrs) => <input {...attrs} type="file" accept={ATTACHMENT_ACCEPT} />}
            </Field>
          )}
        </ActionForm>
      )}
      {allowed.library && (
        <ActionForm
          name="library"
          t={t}
          run={run}
          build={(v) => (version) =>
            addToLibrary(
              config,
              id,
              {
                title: v.title ?? "",
                lesson: v.lesson ?? "",
                tags: (v.tags ?? "")
                  .split(/[,，]/)
                  .map((tag) => tag.trim())
                  .filter(Boolean),
              },
              version,
            )
          }
        >
          {(errors) => (
            <>
              <TextField form="library" name="title" label={t("cp_caseTitle")} errors={errors} required />
              <TextField form="library" name="lesson" label={t("cp_caseLesson")} errors={errors} required area />
              <TextField form="library" name="tags" label={t("cp_caseTags")} errors={errors} />
            </>
          )}
        </ActionForm>
      )}
    </div>
  );
}

/** One action: a disclosure with its form. The API validates (the form does not): a 400's message is
 * shown next to the form and on each field it names; any other refusal in the API's own words. */
function ActionForm(props: {
  name: keyof Allowed;
  t: Translate;
  run: Run;
  open?: boolean;
  build: (values: Record<string, string>) => (version: number) => Promise<unknown>;
  children: (errors: Record<string, string>, form: () => HTMLFormElement | null) => JSX.Element;
}) {
  const { name, t, run, build, children } = props;
  const formRef = useRef<HTMLFormElement>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = problem?.kind === "invalid" ? problem.fields : {};
  const message =
    problem?.kind === "invalid"
      ? t("cp_invalid", { message: problem.message })
      : problem?.kind === "refused" || problem?.kind === "other"
        ? t("cp_refused", { message: problem.message })
        : "";
  return (
    <details class="cp-action" id={`action-${name}`} open={props.open}>
      <summary id={`action-${name}-summary`}>{t(`cp_action_${name}`)}</summary>
      <form
        id={`form-${name}`}
        ref={formRef}
        noValidate
        aria-labelledby={`action-${name}-summary`}
        onSubmit={(e) => {
          e.preventDefault();
          const form = formRef.current;
          if (!form || busy) return;
          setBusy(true);
          setProblem(null);
          run(name, build(values(form)))
            .then((found) => {
              setProblem(found);
              if (!found) form.reset();
            })
            .finally(() => setBusy(false));
        }}
      >
        {children(errors, () => formRef.current)}
        <p id={`form-${name}-error`} class="error" role="alert">
          {message}
        </p>
        <button type="submit" id={`submit-${name}`} disabled={busy}>
          {t(`cp_action_${name}`)}
        </button>
      </form>
    </details>
  );
}

interface FieldAttrs {
  id: string;
  name: string;
  "aria-invalid"?: "true";
  "aria-describedby"?: string;
  "aria-required"?: "true";
}

function Field(props: {
  form: string;
  name: string;
  label: string;
  errors: Record<string, string>;
  required?: boolean;
  children: (attrs: FieldAttrs) => JSX.Element;
}) {
  const { form, name, label: text, errors, required, children } = props;
  const id = `${form}-${name}`;
  const error = errors[name];
  const attrs: FieldAttrs = { id, name };
  if (error) {
    attrs["aria-invalid"] = "true";
    attrs["aria-describedby"] = `${id}-error`;
  }
  if (required) attrs["aria-required"] = "true";
  return (
    <div class={error ? "cp-field invalid" : "cp-field"}>
      <label for={id}>
        {text}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {children(attrs)}
      {error && (
        <p class="error field-error" id={`${id}-error`}>
          {name}: {error}
        </p>
      )}
    </div>
  );
}

function TextField(props: {
  form: string;
  name: string;
  label: string;
  errors: Record<string, string>;
  required?: boolean;
  area?: boolean;
}) {
  const { area, ...rest } = props;
  return (
    <Field {...rest}>{(attrs) => (area ? <textarea {...attrs} rows={4} /> : <input {...attrs} type="text" />)}</Field>
  );
}

function ViaField(props: { form: string; label: string; errors: Record<string, string>; t: Translate; required?: boolean }) {
  const { t, ...rest } = props;
  return (
    <Field {...rest} name="receivedVia">
      {(attrs) => (
        <select {...attrs}>
          <option value="">{t("cp_choose")}</option>
          {VIA_REQUEST.map((via) => (
            <option key={via} value={via}>
              {label(t, "cp_via", via)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function WhenField({ form, t, errors }: { form: string; t: Translate; errors: Record<string, string> }) {
  return (
    <Field form={form} name="receivedAt" label={t("cp_receivedAtLocal")} errors={errors} required>
      {(attrs) => <input {...attrs} type="datetime-local" defaultValue={localNow()} />}
    </Field>
  );
}
