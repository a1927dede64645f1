// The oversight pages of supervisors, managers and compliance: /console/oversight/….

import type { Area } from "../area";

export const oversightArea: Area = {
  page: () => null,
  links: () => [],
};
