// The oversight pages of supervisors, managers and compliance: /console/oversight/….
//   escalations, accountability, follow-ups, roster, performance   supervisors (and managers)
//   kpis, reports                                                  managers
//   sensitive, trail, erasure                                       compliance (trail: also managers and
//                                                                   supervisors, who may verify a trail)
// Each page is linked only for the roles the API lets use it (logic.ts PAGE_ROLES); anyone else who
// opens its address is told why not, and the API would refuse them anyway.

import "./oversight.css";

import type { JSX } from "preact";

import type { Area, NavLink, PageContext } from "../area";
import { BASE } from "../config";
import type { Key, Translate } from "../i18n";
import { ErasurePage, SensitivePage, TrailPage } from "./compliance";
import { KpisPage, ReportsPage } from "./manager";
import { mayOpen, type OversightPage, PAGE_ROLES, PAGES, pageOf } from "./logic";
import { AccountabilityPage, EscalationsPage, FollowUpsPage, PerformancePage, RosterPage } from "./supervisor";

const NAV: Record<OversightPage, Key> = {
  escalations: "ovEscalations",
  accountability: "ovAccountability",
  "follow-ups": "ovFollowUps",
  roster: "ovRoster",
  performance: "ovPerformance",
  kpis: "ovKpis",
  reports: "ovReports",
  sensitive: "ovSensitiveNav",
  trail: "ovTrailTitle",
  erasure: "ovErasure",
};

const PAGE_VIEWS: Record<OversightPage, (context: PageContext) => JSX.Element> = {
  escalations: EscalationsPage,
  accountability: AccountabilityPage,
  "follow-ups": FollowUpsPage,
  roster: RosterPage,
  performance: PerformancePage,
  kpis: KpisPage,
  reports: ReportsPage,
  sensitive: SensitivePage,
  trail: TrailPage,
  erasure: ErasurePage,
};

function roleNames(roles: readonly string[], t: Translate): string {
  return roles.map((role) => t(`role_${role}` as Key)).join(", ");
}

function Refused({ page, context }: { page: OversightPage | ""; context: PageContext }) {
  const { t, identity } = context;
  const you = identity.role ? t(`role_${identity.role}` as Key) : t("ovNoRole");
  return (
    <main class="oversight narrow" id="ov-refused">
      <h1 id="ov-title">{t("ovNotForYou")}</h1>
      <p role="alert" id="ov-refusal">
        {page
          ? t("ovRefusal", { page: t(NAV[page]), roles: roleNames(PAGE_ROLES[page], t), you })
          : t("ovNoOversight", { you })}
      </p>
      <p>
        <a href={`${BASE}queue/mine`}>{t("queueMine")}</a>
      </p>
    </main>
  );
}

function Index({ context }: { context: PageContext }) {
  const { t, identity } = context;
  const pages = PAGES.filter((page) => mayOpen(page, identity.groups));
  if (!pages.length) return <Refused page="" context={context} />;
  return (
    <main class="oversight" id="ov-index">
      <h1 id="ov-title">{t("ovOversight")}</h1>
      <ul class="cards">
        {pages.map((page) => (
          <li key={page} class="card">
            <a href={`${BASE}oversight/${page}`}>{t(NAV[page])}</a>
          </li>
        ))}
      </ul>
    </main>
  );
}

export const oversightArea: Area = {
  page(path, context) {
    const page = pageOf(path);
    if (page === null) return null;
    if (page === "") return <Index context={context} />;
    if (!mayOpen(page, context.identity.groups)) return <Refused page={page} context={context} />;
    const View = PAGE_VIEWS[page];
    return <View key={page} {...context} />;
  },
  links(identity): NavLink[] {
    return PAGES.filter((page) => mayOpen(page, identity.groups)).map((page) => ({
      path: `oversight/${page}`,
      label: NAV[page],
    }));
  },
};
