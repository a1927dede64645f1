// The console's shell: config, language, who is signed in, and which page the path names.
//   /console/signin       sign in (the hosted UI, or a role of the local runtime)
//   /console/callback     the hosted UI's answer (authorization code + PKCE)
//   /console/queue/{mine|team|unassigned}   the queues; /console/ opens "mine"

import "./styles.css";

import { render } from "preact";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";

import type { Area, PageContext } from "./area";
import { completeHostedSignIn, currentSession, identityOf, signOut } from "./auth";
import { complaintArea } from "./complaint";
import { BASE, type Config, loadConfig } from "./config";
import { initialLang, type Lang, LANGS, rememberLang, translator, type Translate } from "./i18n";
import { oversightArea } from "./oversight";
import { QueuePage, type QueueKind, QUEUES } from "./queue";
import { SignInPage } from "./signin";

// The areas with pages of their own, asked in turn; the queues answer the rest.
const AREAS: readonly Area[] = [complaintArea, oversightArea];

function route(): string {
  return location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length).replace(/\/$/, "") : "";
}

export function navigate(path: string): void {
  history.pushState(null, "", `${BASE}${path}`);
  dispatchEvent(new PopStateEvent("popstate"));
}

function LanguagePicker({ lang, setLang, t }: { lang: Lang; setLang: (l: Lang) => void; t: Translate }) {
  return (
    <label class="lang">
      <span>{t("language")}</span>
      <select id="language" value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
        {LANGS.map((l) => (
          <option value={l} key={l}>
            {l === "en" ? "English" : "简体中文"}
          </option>
        ))}
      </select>
    </label>
  );
}

function AreaLinks({ identity, path, t }: { identity: ReturnType<typeof identityOf>; path: string; t: Translate }) {
  const links = AREAS.flatMap((area) => area.links(identity));
  if (!links.length) return null;
  const current = (target: string) => (path === target || path.startsWith(`${target}/`) ? "page" : undefined);
  return (
    <nav class="areas" aria-label={t("areas")}>
      <a href={`${BASE}queue/mine`} aria-current={current("queue")}>
        {t("queues")}
      </a>
      {links.map((link) => (
        <a key={link.path} href={`${BASE}${link.path}`} aria-current={current(link.path)}>
          {t(link.label)}
        </a>
      ))}
    </nav>
  );
}

function Callback({ config, t }: { config: Config; t: Translate }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (config.mode !== "cognito") return navigate("signin");
    completeHostedSignIn(config, location.search)
      .then(() => navigate("queue/mine"))
      .catch((e: Error) => setError(e.message));
  }, [config]);
  return (
    <main class="narrow">
      <p role="status">{error ? t("signInFailed", { reason: error }) : t("signingIn")}</p>
      {error && (
        <button type="button" onClick={() => navigate("signin")}>
          {t("signIn")}
        </button>
      )}
    </main>
  );
}

function queuePage(path: string, { config, identity, lang, t, onSignInRequired }: PageContext) {
  const kind = path.startsWith("queue/") ? (path.slice("queue/".length) as QueueKind) : "mine";
  return (
    <QueuePage
      key={kind}
      config={config}
      identity={identity}
      kind={QUEUES.includes(kind) ? kind : "mine"}
      lang={lang}
      t={t}
      onSignInRequired={onSignInRequired}
    />
  );
}

function App({ config }: { config: Config }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [path, setPath] = useState(route);
  const t = useMemo(() => translator(lang), [lang]);
  const setLang = useCallback((l: Lang) => {
    rememberLang(l);
    setLangState(l);
  }, []);
  useEffect(() => {
    rememberLang(lang);
    const onPop = () => setPath(route());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  const session = currentSession();
  let page;
  if (path === "callback") {
    page = <Callback config={config} t={t} />;
  } else if (path === "signin" || !session) {
    page = <SignInPage config={config} t={t} onSignedIn={() => navigate("queue/mine")} />;
  } else {
    const context: PageContext = {
      config,
      identity: identityOf(session.accessToken),
      lang,
      t,
      onSignInRequired: () => navigate("signin"),
    };
    page = AREAS.map((area) => area.page(path, context)).find((found) => found) ?? queuePage(path, context);
  }
  const identity = session && path !== "signin" && path !== "callback" ? identityOf(session.accessToken) : null;
  return (
    <div class="shell">
      <header class="top">
        <span class="brand">{t("appName")}</span>
        <div class="top-right">
          {identity && (
            <span id="who" class="who">
              {identity.username}
              {identity.role ? ` · ${t(`role_${identity.role}` as "role_agent")}` : ""}
            </span>
          )}
          <LanguagePicker lang={lang} setLang={setLang} t={t} />
          {identity && (
            <button type="button" id="sign-out" class="secondary" onClick={() => void signOut(config)}>
              {t("signOut")}
            </button>
          )}
        </div>
      </header>
      {identity && <AreaLinks identity={identity} path={path} t={t} />}
      {page}
    </div>
  );
}

const root = document.getElementById("app");
if (root) {
  loadConfig()
    .then((config) => render(<App config={config} />, root))
    .catch((error: Error) => {
      root.textContent = `complaint-guard: ${error.message}`;
    });
}
