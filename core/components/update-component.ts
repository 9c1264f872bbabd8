import { eq } from "drizzle-orm";
import { components } from "../../db/schema.ts";
import { requireRole } from "../authorize.ts";
import { isoNow } from "../clock.ts";
import { commitChange, type Statement } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { renderJob } from "../outbox.ts";
import type { ComponentStatus } from "../statuses.ts";
import type { ComponentRow } from "../types.ts";
import { statusChangeStatements } from "../uptime/record-status-change.ts";
import { parseInput } from "../validation.ts";
import { getComponent } from "./load-components.ts";
import { assertUniqueName, assertValidGroup, groupStatusError } from "./rules.ts";
import { updateComponentInput } from "./schemas.ts";

/** Edits a component or group; a status change is recorded for uptime and shown on the page. */
export async function updateComponent(ctx: ActionContext, id: string, rawInput: unknown): Promise<ComponentRow> {
  requireRole(ctx, "commander", "edit components");
  const input = parseInput(updateComponentInput, rawInput);
  const current = await getComponent(ctx.db, id);
  if (input.group_id !== undefined) {
    await assertValidGroup(ctx.db, { isGroup: current.isGroup, groupId: input.group_id, selfId: id });
  }
  if (input.name !== undefined || input.group_id !== undefined) {
    const groupId = input.group_id === undefined ? current.groupId : input.group_id;
    await assertUniqueName(ctx.db, { name: input.name ?? current.name, groupId, selfId: id });
  }
  if (current.isGroup && input.status && input.status !== "operational") throw groupStatusError();
  const now = isoNow(ctx.clock);
  const statements: Statement[] = [
    ctx.db
      .update(components)
      .set({
        name: input.name,
        description: input.description,
        status: input.status,
        groupId: input.group_id,
        position: input.position,
        showcase: input.showcase,
        onlyShowIfDegraded: input.only_show_if_degraded,
        startDate: input.start_date,
        updatedAt: now,
      })
      .where(eq(components.id, id)),
  ];
  if (input.status && input.status !== current.status) {
    statements.push(
      ...statusChangeStatements(ctx.db, {
        componentId: id,
        oldStatus: current.status as ComponentStatus,
        newStatus: input.status,
        at: now,
      }),
    );
  }
  await commitChange(ctx, {
    statements,
    audit: {
      action: input.status && input.status !== current.status ? "component.status" : "component.edit",
      targetType: "component",
      targetId: id,
      details: { before: pick(current, input), after: input },
    },
    jobs: [renderJob({ components: [id] })],
  });
  return getComponent(ctx.db, id);
}

const FIELD_OF: Record<string, keyof ComponentRow> = {
  name: "name",
  description: "description",
  status: "status",
  group_id: "groupId",
  position: "position",
  showcase: "showcase",
  only_show_if_degraded: "onlyShowIfDegraded",
  start_date: "startDate",
};

function pick(row: ComponentRow, input: Record<string, unknown>): Record<string, unknown> {
  const before: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    const field = FIELD_OF[key];
    if (field) before[key] = row[field];
  }
  return before;
}
