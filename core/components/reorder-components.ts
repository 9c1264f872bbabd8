import { eq } from "drizzle-orm";
import { components } from "../../db/schema.ts";
import { requireRole } from "../authorize.ts";
import { commitChange } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { invalid } from "../errors.ts";
import { renderJob } from "../outbox.ts";
import type { ComponentRow } from "../types.ts";
import { parseInput } from "../validation.ts";
import { listComponents } from "./load-components.ts";
import { reorderComponentsInput } from "./schemas.ts";

/** Sets the order of the listed components (within their group, or at the top level). */
export async function reorderComponents(ctx: ActionContext, rawInput: unknown): Promise<ComponentRow[]> {
  requireRole(ctx, "commander", "reorder components");
  const { ids } = parseInput(reorderComponentsInput, rawInput);
  const known = new Set((await listComponents(ctx.db)).map((c) => c.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw invalid(
      `Unknown component id(s): ${unknown.join(", ")}.`,
      unknown.map((id) => ({ path: `ids`, message: `no component "${id}"` })),
    );
  }
  if (new Set(ids).size !== ids.length)
    throw invalid("Each component may appear once.", [{ path: "ids", message: "duplicate ids" }]);
  await commitChange(ctx, {
    statements: ids.map((id, index) =>
      ctx.db
        .update(components)
        .set({ position: index + 1 })
        .where(eq(components.id, id)),
    ),
    audit: { action: "component.reorder", targetType: "component", targetId: ids.join(","), details: { ids } },
    jobs: [renderJob({ components: ids })],
  });
  return listComponents(ctx.db);
}
