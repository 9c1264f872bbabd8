import type { ComponentStage } from "../../../db/enums.ts";
import type { ComponentRow } from "../../model/rows.ts";

/** A component's retirement as the API answers it. */
export type RetiringComponent = {
  id: string;
  name: string;
  stage: ComponentStage;
  sunset_at: string | null;
  deprecation_message: string | null;
  deprecated_at: string | null;
};

export function retiringComponent(row: ComponentRow): RetiringComponent {
  return {
    id: row.id,
    name: row.name,
    stage: row.stage,
    sunset_at: row.sunsetAt,
    deprecation_message: row.deprecationMessage,
    deprecated_at: row.deprecatedAt,
  };
}
