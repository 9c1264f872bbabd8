import type { ComponentRow } from "../model/rows.ts";

/** The inventory fields of a component made outside the inventory (docs/inventory.md): in production, unowned. */
export const INVENTORY_DEFAULTS = {
  ownerTeam: null,
  ownerPersonId: null,
  stage: "production",
  runbookUrl: null,
  repositoryUrl: null,
  dashboardUrl: null,
  uptimeTarget: null,
  sunsetAt: null,
  deprecationMessage: null,
  deprecatedAt: null,
} as const satisfies Partial<ComponentRow>;
