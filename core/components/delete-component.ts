import { eq } from "drizzle-orm";
import { componentStatusChanges, components } from "../../db/schema.ts";
import { requireRole } from "../authorize.ts";
import { commitChange } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { renderJob } from "../outbox.ts";
import { getComponent } from "./load-components.ts";

/** Deletes a component (its past incidents keep its name); a deleted group's components become ungrouped. */
export async function deleteComponent(ctx: ActionContext, id: string): Promise<void> {
  requireRole(ctx, "admin", "delete components");
  const current = await getComponent(ctx.db, id);
  await commitChange(ctx, {
    statements: [
      ctx.db.update(components).set({ groupId: null }).where(eq(components.groupId, id)),
      ctx.db.delete(componentStatusChanges).where(eq(componentStatusChanges.componentId, id)),
      ctx.db.delete(components).where(eq(components.id, id)),
    ],
    audit: { action: "component.delete", targetType: "component", targetId: id, details: { deleted: current } },
    jobs: [renderJob({ components: [id] })],
  });
}
