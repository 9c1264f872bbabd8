import { eq } from "drizzle-orm";
import type { z } from "zod";
import { components } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import type { Planned, Statement } from "../changes/commit.ts";
import { membersOf, withGroups } from "../changes/touched.ts";
import type { ComponentRow } from "../model/rows.ts";
import type { V2Component } from "../public/statuspage.ts";
import { statusChangeStatements } from "../uptime/record-status-change.ts";
import { type ComponentState, componentView, loadComponentState, withComponents } from "./component-state.ts";
import { assertUniqueName, assertValidGroup, findComponent, groupStatusError } from "./rules.ts";
import { type updateComponentInput, updateComponentRequest } from "./schemas.ts";

/** Edits a component or group; a status change is recorded for uptime and shown on the page. */
export const updateComponent = defineAction({
  name: "component.update",
  role: "commander",
  doing: "edit components",
  input: updateComponentRequest,
  load: (ctx) => loadComponentState(ctx.db),
  plan(state, { id, ...input }, { now }): Outcome<V2Component> {
    const planned = planUpdateComponent(state, id, input, now);
    return { changes: [planned], result: planned.view };
  },
});

export function planUpdateComponent(
  state: ComponentState,
  id: string,
  input: z.output<typeof updateComponentInput>,
  now: Date,
): Planned<V2Component, ComponentState> {
  const current = findComponent(state.components, id);
  if (input.group_id !== undefined) {
    assertValidGroup(state.components, { isGroup: current.isGroup, groupId: input.group_id, selfId: id });
  }
  if (input.name !== undefined || input.group_id !== undefined) {
    const groupId = input.group_id === undefined ? current.groupId : input.group_id;
    assertUniqueName(state.components, { name: input.name ?? current.name, groupId, selfId: id });
  }
  if (current.isGroup && input.status && input.status !== "operational") throw groupStatusError();
  const at = now.toISOString();
  const changes = {
    name: input.name,
    description: input.description,
    status: input.status,
    groupId: input.group_id,
    position: input.position,
    showcase: input.showcase,
    onlyShowIfDegraded: input.only_show_if_degraded,
    startDate: input.start_date,
    updatedAt: at,
  };
  const statements: Statement[] = [state.db.update(components).set(changes).where(eq(components.id, id))];
  const statusChanged = input.status !== undefined && input.status !== current.status;
  if (input.status && statusChanged) {
    statements.push(
      ...statusChangeStatements(state.db, {
        componentId: id,
        oldStatus: current.status,
        newStatus: input.status,
        at,
      }),
    );
  }
  const row: ComponentRow = {
    ...current,
    name: changes.name ?? current.name,
    description: changes.description === undefined ? current.description : changes.description,
    status: changes.status ?? current.status,
    groupId: changes.groupId === undefined ? current.groupId : changes.groupId,
    position: changes.position ?? current.position,
    showcase: changes.showcase ?? current.showcase,
    onlyShowIfDegraded: changes.onlyShowIfDegraded ?? current.onlyShowIfDegraded,
    startDate: changes.startDate === undefined ? current.startDate : changes.startDate,
    updatedAt: at,
  };
  const next = withComponents(state, [row]);
  return {
    statements,
    audit: {
      action: statusChanged ? "component.status" : "component.edit",
      targetType: "component",
      targetId: id,
      details: { before: pick(current, input), after: input },
    },
    jobs: [],
    touched: { components: touchedByEdit(state.components, current, row) },
    view: componentView(next, row),
    state: next,
  };
}

/**
 * The component, its group before and after (a group's page lists its components) and, when a group is
 * renamed, its members (their pages name their group).
 */
function touchedByEdit(all: ComponentRow[], before: ComponentRow, after: ComponentRow): string[] {
  const renamedGroup = before.isGroup && before.name !== after.name;
  return withGroups([before, after], [after.id, ...(renamedGroup ? membersOf(all, after.id) : [])]);
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
