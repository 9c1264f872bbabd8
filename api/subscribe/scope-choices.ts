import { listComponents } from "../../core/components/load-components.ts";
import { onPage } from "../../core/public/retirement.ts";
import { orderComponents } from "../../core/public/statuspage.ts";
import type { ScopeChoice } from "../../core/public/views/types.ts";
import type { Db } from "../../db/client.ts";

export type { ScopeChoice };

/** Every component and group a subscriber can choose, in page order (members after their group). */
export async function scopeChoices(db: Db): Promise<ScopeChoice[]> {
  return orderComponents(onPage(await listComponents(db))).map((c) => ({
    id: c.id,
    name: c.name,
    isGroup: c.isGroup,
    inGroup: c.groupId !== null,
  }));
}
