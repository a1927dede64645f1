// The complaint page: /console/complaints/{id}.

import type { Area } from "../area";

export const complaintArea: Area = {
  page: () => null,
  links: () => [],
};
