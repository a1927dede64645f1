// Pieces every page of the console draws the same way: an error line, a filters form and the complaint
// filters in it, a form's row of buttons, a list's loading / empty / count states, a data table in its
// scrollable region and a panel that takes the focus. Ids, texts, roles and classes stay the pages' own
// (the browser tests find elements by them).

import type { ComponentChildren, JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";

import { known, type Translate } from "./i18n";

const CHOICES = {
  priority: ["normal", "high", "critical"],
  flag: ["regulator", "litigation", "media", "vulnerable", "fraud", "discrimination", "repeat"],
};

/** A code in the viewer's words (`prefix_value` in the texts), or the code itself where none is known. */
export function label(t: Translate, prefix: string, value: string | null | undefined): string {
  if (!value) return "";
  const key = known(prefix, value);
  return key ? t(key) : value;
}

/** A filter's list: "any", then each code in the viewer's words. */
function ChoiceField(props: {
  id: string;
  caption: string;
  prefix: string;
  choices: readonly string[];
  value: string;
  t: Translate;
  onChange: (e: Event) => void;
}) {
  const { t, prefix } = props;
  return (
    <label>
      <span>{props.caption}</span>
      <select id={props.id} value={props.value} onChange={props.onChange}>
        <option value="">{t("any")}</option>
        {props.choices.map((c) => (
          <option key={c} value={c}>
            {label(t, prefix, c)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The filters the API's complaint listing takes besides the team: priority, risk flag and "due before"
 * (datetime-local, the viewer's zone); ids `${idPrefix}-priority`, `-flag` and `-due-before`. */
export function ComplaintFilterFields(props: {
  idPrefix: string;
  draft: { priority: string; flag: string; dueBefore: string };
  t: Translate;
  set: (name: "priority" | "flag" | "dueBefore") => (e: Event) => void;
}) {
  const { idPrefix, draft, t, set } = props;
  return (
    <>
      {(["priority", "flag"] as const).map((name) => (
        <ChoiceField
          key={name}
          id={`${idPrefix}-${name}`}
          caption={t(name)}
          prefix={name}
          choices={CHOICES[name]}
          value={draft[name]}
          t={t}
          onChange={set(name)}
        />
      ))}
      <label>
        <span>{t("dueBefore")}</span>
        <input id={`${idPrefix}-due-before`} type="datetime-local" value={draft.dueBefore} onInput={set("dueBefore")} />
      </label>
    </>
  );
}

/** What went wrong, read out at once; nothing while there is nothing to say. */
export function ErrorLine({ text }: { text: string | null | undefined }) {
  return text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;
}

/** A row of filters; submitting it never leaves the page, it only calls `onApply` (if any). */
export function FilterForm(props: { label: string; onApply?: () => void; children: ComponentChildren }) {
  return (
    <form
      class="filters"
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        props.onApply?.();
      }}
    >
      {props.children}
    </form>
  );
}

/** A form's buttons: the submit one first, then an optional secondary one (cancel, refresh, clear). */
export function FormActions(props: {
  submitId: string;
  submit: string;
  busy?: boolean;
  secondary?: string;
  onSecondary?: () => void;
}) {
  return (
    <div class="actions">
      <button type="submit" id={props.submitId} disabled={props.busy}>
        {props.submit}
      </button>
      {props.secondary && (
        <button type="button" class="secondary" onClick={props.onSecondary}>
          {props.secondary}
        </button>
      )}
    </div>
  );
}

/** A list's states: loading (null), empty (its own id and words) or the list, with its count if asked. */
export function ListState<T>(props: {
  items: T[] | null;
  t: Translate;
  emptyId: string;
  empty: string;
  countId?: string;
  children: (items: T[]) => JSX.Element;
}) {
  const { items, t } = props;
  if (items === null) return <p role="status">{t("loading")}</p>;
  if (items.length === 0) return <p id={props.emptyId}>{props.empty}</p>;
  if (!props.countId) return props.children(items);
  return (
    <>
      <p class="muted" id={props.countId}>
        {t("count", { count: items.length })}
      </p>
      {props.children(items)}
    </>
  );
}

/** A table with a header row of columns (a false one left out). With a `label` it sits in a region
 * keyboard users can scroll, named so, and captioned (visibly if `caption` is given, else for screen
 * readers); without, in a plain wrapper; `bare`, with no wrapper at all. */
export function DataTable(props: {
  id: string;
  label?: string;
  caption?: string;
  bare?: boolean;
  columns: (string | false | null | undefined)[];
  children: ComponentChildren;
}) {
  const { label, caption } = props;
  const table = (
    <table id={props.id}>
      {caption ? <caption>{caption}</caption> : label ? <caption class="visually-hidden">{label}</caption> : null}
      <thead>
        <tr>
          {props.columns.filter(Boolean).map((column, i) => (
            <th key={i} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
  if (props.bare) return table;
  return label ? (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {table}
    </div>
  ) : (
    <div class="table-wrap">{table}</div>
  );
}

/** A panel about one thing (a form over a list, a confirmation): its heading takes the keyboard's focus
 * when it opens and whenever `focusKey` changes, so the keyboard goes on from there. */
export function FocusPanel(props: {
  id: string;
  titleId: string;
  title: string;
  class?: string;
  focusKey?: unknown;
  children: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [props.focusKey]);
  return (
    <section class={props.class ? `panel ${props.class}` : "panel"} id={props.id} aria-labelledby={props.titleId}>
      <h2 id={props.titleId} tabIndex={-1} ref={heading}>
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}
