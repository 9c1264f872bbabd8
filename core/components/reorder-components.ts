import { eq } from "drizzle-orm";
import type { z } from "zod";
import { components } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import type { Planned } from "../changes/commit.ts";
import { withGroups } from "../changes/touched.ts";
import type { V2Component } from "../public/statuspage.ts";
import { type ComponentState, componentsView, loadComponentState, withComponents } from "./component-state.ts";
import { reorderComponentsInput } from "./schemas.ts";

/** Sets the order of the listed components (within their group, or at the top level); returns them all in page order. */
export const reorderComponents = defineAction({
  name: "component.reorder",
  role: "commander",
  doing: "reorder components",
  input: reorderComponentsInput,
  load: (ctx) => loadComponentState(ctx.db),
  plan(state, input): Outcome<V2Component[]> {
    const planned = planReorderComponents(state, input);
    return { changes: [planned], result: planned.view };
  },
});

export function planReorderComponents(
  state: ComponentState,
  { ids }: z.output<typeof reorderComponentsInput>,
): Planned<V2Component[], ComponentState> {
  const known = new Map(state.components.map((c) => [c.id, c]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw invalid(
      `Unknown component id(s): ${unknown.join(", ")}.`,
      unknown.map((id) => ({ path: `ids`, message: `no component "${id}"` })),
    );
  }
  if (new Set(ids).size !== ids.length)
    throw invalid("Each component may appear once.", [{ path: "ids", message: "duplicate ids" }]);
  const moved = ids.flatMap((id, index) => {
    const component = known.get(id);
    return component ? [{ ...component, position: index + 1 }] : [];
  });
  const next = withComponents(state, moved);
  return {
    statements: ids.map((id, index) =>
      state.db
        .update(components)
        .set({ position: index + 1 })
        .where(eq(components.id, id)),
    ),
    audit: { action: "component.reorder", targetType: "component", targetId: ids.join(","), details: { ids } },
    jobs: [],
    touched: { components: withGroups(state.components, ids) },
    view: componentsView(next),
    state: next,
  };
}
