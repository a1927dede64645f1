// Sign-in. Deployed: a button to the user pool's hosted UI. Local: one button per staff token the
// runtime hands out (GET /_local/tokens), with the role and teams it carries.

import { useEffect, useState } from "preact/hooks";

import { beginHostedSignIn, identityOf, localTokens, signInLocally } from "./auth";
import type { Config } from "./config";
import { known, type Translate } from "./i18n";

interface Props {
  config: Config;
  t: Translate;
  onSignedIn: () => void;
}

export function SignInPage({ config, t, onSignedIn }: Props) {
  const [tokens, setTokens] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (config.mode === "local") {
      localTokens(config)
        .then(setTokens)
        .catch((e: Error) => setError(e.message));
    }
  }, [config]);

  return (
    <main class="narrow">
      <h1>{t("signInTitle")}</h1>
      {config.mode === "cognito" ? (
        <>
          <p>{t("signInHostedIntro")}</p>
          <button type="button" id="hosted-sign-in" onClick={() => void beginHostedSignIn(config)}>
            {t("signIn")}
          </button>
        </>
      ) : (
        <>
          <p>{t("signInLocalIntro")}</p>
          {error && <p class="error">{t("signInFailed", { reason: error })}</p>}
          {!tokens && !error && <p role="status">{t("loading")}</p>}
          <ul class="roles">
            {Object.entries(tokens ?? {}).map(([name, token]) => {
              const who = identityOf(token);
              const label = known("role", name);
              return (
                <li key={name}>
                  <button
                    type="button"
                    id={`sign-in-${name}`}
                    onClick={() => {
                      signInLocally(token);
                      onSignedIn();
                    }}
                  >
                    {label ? t(label) : name}
                  </button>
                  <span class="muted">
                    {who.username} · {t("teamsOf", { teams: who.teams.join(", ") || t("noTeams") })}
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </main>
  );
}
