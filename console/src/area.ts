// A part of the console with pages of its own (the complaint page, the oversight pages of supervisors,
// managers and compliance): the paths it serves and the links it puts in the header for the viewer.
// main.tsx asks each area in turn; the queues answer what none of them does.

import type { JSX } from "preact";

import type { Identity } from "./auth";
import type { Config } from "./config";
import type { Key, Lang, Translate } from "./i18n";

export interface PageContext {
  config: Config;
  identity: Identity;
  lang: Lang;
  t: Translate;
  onSignInRequired: () => void;
}

export interface NavLink {
  path: string; // under /console/, e.g. "oversight/escalations"
  label: Key;
}

export interface Area {
  /** The page for `path` (relative to /console/, no trailing slash), or null when not this area's. */
  page(path: string, context: PageContext): JSX.Element | null;
  /** The header links this viewer may follow (by role: a link to a page they may not use is not shown). */
  links(identity: Identity): NavLink[];
}
