import { eq, isNull, max } from "drizzle-orm";
import { components } from "../../db/schema.ts";
import { requireRole } from "../authorize.ts";
import { isoNow } from "../clock.ts";
import { commitChange, type Statement } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { newId } from "../ids.ts";
import { renderJob } from "../outbox.ts";
import type { ComponentRow } from "../types.ts";
import { statusChangeStatements } from "../uptime/record-status-change.ts";
import { parseInput } from "../validation.ts";
import { getComponent } from "./load-components.ts";
import { assertUniqueName, assertValidGroup, groupStatusError } from "./rules.ts";
import { createComponentInput } from "./schemas.ts";

export async function createComponent(ctx: ActionContext, rawInput: unknown): Promise<ComponentRow> {
  requireRole(ctx, "commander", "create components");
  const input = parseInput(createComponentInput, rawInput);
  const isGroup = input.group ?? false;
  const groupId = input.group_id ?? null;
  await assertValidGroup(ctx.db, { isGroup, groupId, selfId: null });
  await assertUniqueName(ctx.db, { name: input.name, groupId, selfId: null });
  if (isGroup && input.status && input.status !== "operational") throw groupStatusError();
  const now = isoNow(ctx.clock);
  const id = newId();
  const position = input.position ?? (await nextPosition(ctx, groupId));
  const status = input.status ?? "operational";
  const statements: Statement[] = [
    ctx.db.insert(components).values({
      id,
      name: input.name,
      description: input.description ?? null,
      status,
      groupId,
      isGroup,
      position,
      showcase: input.showcase ?? !isGroup,
      onlyShowIfDegraded: input.only_show_if_degraded ?? false,
      startDate: input.start_date ?? null,
      createdAt: now,
      updatedAt: now,
    }),
  ];
  if (status !== "operational") {
    statements.push(
      ...statusChangeStatements(ctx.db, { componentId: id, oldStatus: "operational", newStatus: status, at: now }),
    );
  }
  await commitChange(ctx, {
    statements,
    audit: {
      action: isGroup ? "group.create" : "component.create",
      targetType: "component",
      targetId: id,
      details: input,
    },
    jobs: [renderJob({ components: [id] })],
  });
  return getComponent(ctx.db, id);
}

async function nextPosition(ctx: ActionContext, groupId: string | null): Promise<number> {
  const [row] = await ctx.db
    .select({ last: max(components.position) })
    .from(components)
    .where(groupId ? eq(components.groupId, groupId) : isNull(components.groupId));
  return (row?.last ?? 0) + 1;
}
