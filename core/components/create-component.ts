import type { z } from "zod";
import { components } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import type { Planned, Statement } from "../changes/commit.ts";
import { withGroups } from "../changes/touched.ts";
import { INVENTORY_DEFAULTS } from "../inventory/defaults.ts";
import { newId } from "../model/ids.ts";
import type { ComponentRow } from "../model/rows.ts";
import type { V2Component } from "../public/statuspage.ts";
import { statusChangeStatements } from "../uptime/record-status-change.ts";
import { type ComponentState, componentView, loadComponentState, withComponents } from "./component-state.ts";
import { assertUniqueName, assertValidGroup, groupStatusError } from "./rules.ts";
import { createComponentInput } from "./schemas.ts";

/** Creates a component, or a group other components can belong to. */
export const createComponent = defineAction({
  name: "component.create",
  role: "commander",
  doing: "create components",
  input: createComponentInput,
  load: (ctx) => loadComponentState(ctx.db),
  plan(state, input, { now }): Outcome<V2Component> {
    const planned = planCreateComponent(state, input, now);
    return { changes: [planned], result: planned.view };
  },
});

export function planCreateComponent(
  state: ComponentState,
  input: z.output<typeof createComponentInput>,
  now: Date,
): Planned<V2Component, ComponentState> {
  const isGroup = input.group ?? false;
  const groupId = input.group_id ?? null;
  assertValidGroup(state.components, { isGroup, groupId, selfId: null });
  assertUniqueName(state.components, { name: input.name, groupId, selfId: null });
  if (isGroup && input.status && input.status !== "operational") throw groupStatusError();
  const at = now.toISOString();
  const status = input.status ?? "operational";
  const row: ComponentRow = {
    id: newId(),
    name: input.name,
    description: input.description ?? null,
    status,
    groupId,
    isGroup,
    position: input.position ?? nextPosition(state.components, groupId),
    showcase: input.showcase ?? !isGroup,
    onlyShowIfDegraded: input.only_show_if_degraded ?? false,
    startDate: input.start_date ?? null,
    ...INVENTORY_DEFAULTS,
    createdAt: at,
    updatedAt: at,
  };
  const statements: Statement[] = [state.db.insert(components).values(row)];
  if (status !== "operational") {
    statements.push(
      ...statusChangeStatements(state.db, { componentId: row.id, oldStatus: "operational", newStatus: status, at }),
    );
  }
  const next = withComponents(state, [row]);
  return {
    statements,
    audit: {
      action: isGroup ? "group.create" : "component.create",
      targetType: "component",
      targetId: row.id,
      details: input,
    },
    jobs: [],
    touched: { components: withGroups([row], [row.id]) },
    view: componentView(next, row),
    state: next,
  };
}

function nextPosition(all: ComponentRow[], groupId: string | null): number {
  const siblings = all.filter((c) => c.groupId === groupId).map((c) => c.position);
  return Math.max(0, ...siblings) + 1;
}
