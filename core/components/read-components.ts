import { z } from "zod";
import { defineQuery } from "../actions/define.ts";
import type { V2Component } from "../public/statuspage.ts";
import { componentsView, componentView, loadComponentState } from "./component-state.ts";
import { findComponent } from "./rules.ts";

/** Every component and group in page order, as the API shows them. */
export const readComponents = defineQuery({
  name: "component.list",
  role: "viewer",
  doing: "list components",
  input: z.object({}),
  read: async (ctx): Promise<V2Component[]> => componentsView(await loadComponentState(ctx.db)),
});

export const readComponent = defineQuery({
  name: "component.get",
  role: "viewer",
  doing: "read components",
  input: z.object({ id: z.string().describe("the component's id") }),
  async read(ctx, { id }): Promise<V2Component> {
    const state = await loadComponentState(ctx.db);
    return componentView(state, findComponent(state.components, id));
  },
});
