// Compliance's pages: sensitive and regulatory-risk complaints, any complaint's audit trail with its
// integrity check and its legal hold (placed and lifted by compliance, shown to every reader of the
// trail), and erasure requests (a confirmation step, then the result or the refusal explained).

import { useEffect, useRef, useState } from "preact/hooks";

import { ApiError } from "../api";
import type { PageContext } from "../area";
import { BASE } from "../config";
import { OPEN } from "../deadlines";
import { DataTable, ErrorLine, FilterForm, FocusPanel, FormActions, ListState } from "../ui";
import * as api from "./api";
import type { AuditEvent, AuditTrail, ErasureResult, IntegrityReport, OversightComplaint } from "./api";
import { ComplaintTable, complaintHref, failure, Frame, label, Time, useList } from "./common";
import { bySeverity, describeChanges } from "./logic";

const RISK_FLAGS = ["regulator", "litigation", "media", "fraud"] as const;

export function SensitivePage({ config, lang, t, onSignInRequired }: PageContext) {
  const [includeClosed, setIncludeClosed] = useState(false);
  const [flag, setFlag] = useState("");
  const [now, setNow] = useState(Date.now());

  const { items: all, error, load } = useList(
    () =>
      api.sensitiveComplaints(config, RISK_FLAGS).then((found) => {
        setNow(Date.now());
        return found.sort(bySeverity);
      }),
    [config, lang],
    t,
    onSignInRequired,
  );

  const items = (all ?? []).filter(
    (c) =>
      (includeClosed || OPEN.has(c.status)) &&
      (!flag || (flag === "critical" ? c.priority === "critical" : (c.triage?.riskFlags ?? []).includes(flag))),
  );
  return (
    <Frame id="sensitive" title={t("ovSensitiveTitle")} hint={t("ovSensitiveHint")} t={t}>
      <FilterForm label={t("filters")}>
        <label>
          <span>{t("flag")}</span>
          <select id="sens-flag" value={flag} onChange={(e) => setFlag((e.target as HTMLSelectElement).value)}>
            <option value="">{t("ovAnyRisk")}</option>
            {RISK_FLAGS.map((f) => (
              <option key={f} value={f}>
                {label(t, "flag", f)}
              </option>
            ))}
            <option value="critical">{t("priority_critical")}</option>
          </select>
        </label>
        <label class="check">
          <input id="sens-closed" type="checkbox" checked={includeClosed} onChange={(e) => setIncludeClosed((e.target as HTMLInputElement).checked)} />
          <span>{t("ovIncludeClosed")}</span>
        </label>
        <div class="actions">
          <button type="button" class="secondary" id="sens-refresh" onClick={load}>
            {t("refresh")}
          </button>
        </div>
      </FilterForm>
      <ErrorLine text={error} />
      <ListState items={all === null ? null : items} t={t} emptyId="sens-empty" empty={t("empty")} countId="sens-count">
        {(items) => <ComplaintTable id="sensitive" items={items} now={now} lang={lang} t={t} showTrail caption={t("ovSensitiveTitle")} />}
      </ListState>
    </Frame>
  );
}

// --- trail and integrity ---------------------------------------------------------------------------

function complaintParam(): string {
  return new URLSearchParams(location.search).get("complaint") ?? "";
}

export function TrailPage({ config, identity, lang, t, onSignInRequired }: PageContext) {
  const [draft, setDraft] = useState(complaintParam);
  const [id, setId] = useState(complaintParam);
  const [complaint, setComplaint] = useState<OversightComplaint | null>(null);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [trail, setTrail] = useState<AuditTrail | null>(null);
  const [check, setCheck] = useState<IntegrityReport | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const result = useRef<HTMLDivElement>(null);

  /** The complaint and its trail's first page, read (again: after a change, the new event shown). */
  const read = () =>
    Promise.all([api.complaint(config, id), api.trail(config, id)])
      .then(([c, found]) => {
        setComplaint(c);
        setTrail(found);
        setEvents(found.items);
      })
      .catch((e) => {
        if (e instanceof ApiError && e.status === 404) setError(t("ovNoSuchComplaint", { id }));
        else setError(failure(e, t, onSignInRequired));
      });

  useEffect(() => {
    setComplaint(null);
    setTrail(null);
    setEvents([]);
    setCheck(null);
    setCheckError(null);
    setError(null);
    if (!id) return;
    void read();
  }, [config, id]);

  const more = () => {
    if (!trail?.nextToken) return;
    api
      .trail(config, id, trail.nextToken)
      .then((found) => {
        setTrail({ ...found, notifications: trail.notifications });
        setEvents((old) => [...old, ...found.items]);
      })
      .catch((e) => setError(failure(e, t, onSignInRequired)));
  };

  const verify = () => {
    setChecking(true);
    setCheck(null);
    setCheckError(null);
    api
      .integrity(config, id)
      .then(setCheck)
      .catch((e) => setCheckError(failure(e, t, onSignInRequired)))
      .finally(() => {
        setChecking(false);
        result.current?.focus();
      });
  };

  return (
    <Frame id="trail" title={t("ovTrailTitle")} hint={t("ovTrailHint")} t={t}>
      <FilterForm
        label={t("ovTrailTitle")}
        onApply={() => {
          history.replaceState(null, "", `${BASE}oversight/trail?complaint=${encodeURIComponent(draft)}`);
          setId(draft);
        }}
      >
        <label>
          <span>{t("ovComplaintId")}</span>
          <input id="trail-id" class="wide" value={draft} required onInput={(e) => setDraft((e.target as HTMLInputElement).value.trim())} />
        </label>
        <FormActions submitId="trail-open" submit={t("ovOpenTrail")} />
      </FilterForm>
      <ErrorLine text={error} />
      {id && !complaint && !error && <p role="status">{t("loading")}</p>}
      {complaint && (
        <>
          <section class="panel" aria-labelledby="trail-of">
            <h2 id="trail-of">
              <a href={complaintHref(complaint.id)}>{complaint.reference}</a> · {label(t, "status", complaint.status)}
            </h2>
            <p class="muted">
              {t("ovReceivedAt")} <Time lang={lang} iso={complaint.receivedAt} />
              {complaint.team ? ` · ${t("team")}: ${complaint.team}` : ""}
              {complaint.legalHold ? ` · ${t("ovLegalHold")}` : ""}
            </p>
            <div class="actions">
              <button type="button" id="trail-verify" onClick={verify} disabled={checking}>
                {t("ovCheckIntegrity")}
              </button>
            </div>
            <div id="integrity" tabIndex={-1} ref={result} role="status" class="integrity">
              {checking && t("ovChecking")}
              {check &&
                (check.valid ? (
                  <p class="ok" data-valid="true">
                    {t("ovIntact", { n: check.events })}
                  </p>
                ) : (
                  <p class="error" data-valid="false">
                    {t("ovBroken", { n: check.events, version: check.firstBrokenAt ?? "?" })}
                  </p>
                ))}
              {checkError && <p class="error">{checkError}</p>}
            </div>
          </section>
          <LegalHoldPanel
            complaint={complaint}
            mayHold={identity.groups.includes("compliance")}
            config={config}
            lang={lang}
            t={t}
            onSignInRequired={onSignInRequired}
            onChanged={(changed) => {
              setCheck(null); // the chain has one more event: checked again on request
              if (changed) setComplaint(changed);
              return read();
            }}
          />
          <DataTable
            id="trail"
            label={t("ovTrailTitle")}
            caption={t("ovEvents", { n: events.length })}
            columns={[t("ovVersion"), t("ovWhen"), t("ovActor"), t("ovActionDone"), t("ovChanges")]}
          >
            {events.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{e.version}</td>
                <td>
                  <Time lang={lang} iso={e.at} />
                </td>
                <td>
                  {e.actor.id}
                  {e.actor.roles.length ? <span class="muted"> · {e.actor.roles.join(", ")}</span> : null}
                </td>
                <td>{e.action}</td>
                <td class="wrap">
                  {Object.keys(e.changes ?? {}).length > 4 ? (
                    <details>
                      <summary>{t("ovFieldsChanged", { n: Object.keys(e.changes ?? {}).length })}</summary>
                      {describeChanges(e.changes)}
                    </details>
                  ) : (
                    describeChanges(e.changes)
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          {trail?.nextToken && (
            <button type="button" class="secondary" id="trail-more" onClick={more}>
              {t("ovMore")}
            </button>
          )}
          {trail?.notifications && trail.notifications.length > 0 && (
            <DataTable
              id="notifications"
              label={t("ovNotifications")}
              caption={t("ovNotifications")}
              columns={[t("ovWhen"), t("ovEvent"), t("colChannel"), t("ovRecipient"), t("colStatus")]}
            >
              {trail.notifications.map((n, i) => (
                <tr key={i}>
                  <td>
                    <Time lang={lang} iso={n.at} />
                  </td>
                  <td>{n.eventName}</td>
                  <td>{n.channel}</td>
                  <td>{n.recipient}</td>
                  <td>
                    {n.status}
                    {n.errorCode ? ` (${n.errorCode})` : ""}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </Frame>
  );
}

/** Whether the complaint is under a legal hold, and why; compliance (the API's only holder of the
 * permission) places or lifts it with the reason, at the version read: a change meanwhile is explained
 * and the complaint read again, the reason kept to send again. */
function LegalHoldPanel(props: {
  complaint: OversightComplaint;
  mayHold: boolean;
  config: PageContext["config"];
  lang: PageContext["lang"];
  t: PageContext["t"];
  onSignInRequired: () => void;
  /** After a change (the complaint the API answered) or a refusal (null): the page reads it again. */
  onChanged: (changed: OversightComplaint | null) => Promise<unknown>;
}) {
  const { complaint, lang, t } = props;
  const held = complaint.legalHold ?? null;
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const send = () => {
    const hold = !held;
    setBusy(true);
    setNotice(null);
    setError(null);
    api
      .legalHold(props.config, complaint, hold, reason.trim())
      .then((changed) => {
        setReason("");
        setNotice(t(hold ? "ovHoldPlaced" : "ovHoldLifted", { reference: changed.reference }));
        return props.onChanged(changed);
      })
      .catch((e) => {
        setError(failure(e, t, props.onSignInRequired));
        if (e instanceof ApiError && e.status === 409) void props.onChanged(null);
      })
      .finally(() => setBusy(false));
  };

  return (
    <section class="panel" id="legal-hold" aria-labelledby="hold-title" data-held={held ? "true" : "false"}>
      <h2 id="hold-title">{t("ovHoldTitle")}</h2>
      {held ? (
        <div id="hold-state">
          <p>
            <strong>{t("ovHeld")}</strong>
          </p>
          <p class="muted">
            {t("ovHeldBy", { who: held.placedBy })} · <Time lang={lang} iso={held.placedAt} />
          </p>
          <p class="wrap">{t("ovHoldMatter", { reason: held.reason })}</p>
        </div>
      ) : (
        <p id="hold-state">{t("ovNotHeld")}</p>
      )}
      {props.mayHold && (
        <form
          class="stack"
          aria-labelledby="hold-title"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <label>
            <span>{t(held ? "ovLiftReason" : "ovHoldReason")}</span>
            <textarea
              id="hold-reason"
              rows={2}
              required
              maxLength={1000}
              value={reason}
              onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          <FormActions submitId="hold-submit" submit={t(held ? "ovLiftHold" : "ovPlaceHold")} busy={busy} />
        </form>
      )}
      <p id="hold-notice" role="status">
        {notice ?? ""}
      </p>
      <ErrorLine text={error} />
    </section>
  );
}

// --- erasure ---------------------------------------------------------------------------------------

export function ErasurePage({ config, lang, t, onSignInRequired }: PageContext) {
  const [customerId, setCustomerId] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ErasureResult | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const outcome = useRef<HTMLDivElement>(null);

  const erase = () => {
    setBusy(true);
    api
      .erase(config, customerId, reason.trim())
      .then((result) => {
        setDone(result);
        setRefusal(null);
      })
      .catch((e) => {
        if (e instanceof ApiError && e.status === 409) setRefusal(t("ovErasureRefused", { message: e.message }));
        else setRefusal(failure(e, t, onSignInRequired));
      })
      .finally(() => {
        setBusy(false);
        setConfirming(false);
        setTimeout(() => outcome.current?.focus(), 0);
      });
  };

  return (
    <Frame id="erasure" title={t("ovErasure")} hint={t("ovErasureHint")} t={t}>
      <form
        class="panel stack"
        aria-label={t("ovErasure")}
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          setRefusal(null);
          setConfirming(true);
        }}
      >
        <label>
          <span>{t("ovCustomerId")}</span>
          <input
            id="erase-customer"
            class="wide"
            value={customerId}
            required
            maxLength={64}
            disabled={confirming}
            onInput={(e) => setCustomerId((e.target as HTMLInputElement).value.trim())}
          />
        </label>
        <label>
          <span>{t("ovErasureReason")}</span>
          <textarea
            id="erase-reason"
            rows={3}
            required
            maxLength={1000}
            disabled={confirming}
            value={reason}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        {!confirming && (
          <FormActions submitId="erase-next" submit={t("ovContinue")} />
        )}
      </form>
      {confirming && (
        <FocusPanel
          id="erase-confirm"
          titleId="erase-confirm-title"
          title={t("ovErasureConfirmTitle", { customer: customerId })}
          class="danger"
        >
          <p>{t("ovErasureConsequences")}</p>
          <div class="actions">
            <button type="button" class="danger" id="erase-confirm-button" disabled={busy} onClick={erase}>
              {t("ovEraseNow", { customer: customerId })}
            </button>
            <button type="button" class="secondary" id="erase-cancel" onClick={() => setConfirming(false)}>
              {t("ovCancel")}
            </button>
          </div>
        </FocusPanel>
      )}
      <div id="erase-outcome" tabIndex={-1} ref={outcome} role="status">
        {done && (
          <p class="ok">
            {t("ovErased", {
              customer: done.customerId,
              complaints: done.complaints,
              events: done.events,
              notifications: done.notifications,
            })}{" "}
            <Time lang={lang} iso={done.erasedAt} />
          </p>
        )}
        {refusal && <p class="error">{refusal}</p>}
      </div>
    </Frame>
  );
}
