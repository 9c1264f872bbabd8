import { eq } from "drizzle-orm";
import { z } from "zod";
import { componentStatusChanges, components } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import type { Planned } from "../changes/commit.ts";
import { membersOf, withGroups } from "../changes/touched.ts";
import { type ComponentState, loadComponentState, withComponents } from "./component-state.ts";
import { findComponent } from "./rules.ts";

/** Deletes a component (its past incidents keep its name); a deleted group's components become ungrouped. */
export const deleteComponent = defineAction({
  name: "component.delete",
  role: "admin",
  doing: "delete components",
  input: z.object({ id: z.string().describe("the component's id") }),
  load: (ctx) => loadComponentState(ctx.db),
  plan: (state, { id }): Outcome<null> => ({ changes: [planDeleteComponent(state, id)], result: null }),
});

export function planDeleteComponent(state: ComponentState, id: string): Planned<null, ComponentState> {
  const current = findComponent(state.components, id);
  const ungrouped = state.components.filter((c) => c.groupId === id).map((c) => ({ ...c, groupId: null }));
  return {
    statements: [
      state.db.update(components).set({ groupId: null }).where(eq(components.groupId, id)),
      state.db.delete(componentStatusChanges).where(eq(componentStatusChanges.componentId, id)),
      state.db.delete(components).where(eq(components.id, id)),
    ],
    audit: { action: "component.delete", targetType: "component", targetId: id, details: { deleted: current } },
    jobs: [],
    // Its page goes, and its group's page and a deleted group's former members change.
    touched: { components: withGroups(state.components, [id, ...membersOf(state.components, id)]) },
    view: null,
    state: withComponents(state, ungrouped, [id]),
  };
}
