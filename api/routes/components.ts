import type { ActionContext } from "../../core/actions/context.ts";
import { componentsView, componentView, loadComponentState } from "../../core/components/component-state.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { deleteComponent } from "../../core/components/delete-component.ts";
import { reorderComponents } from "../../core/components/reorder-components.ts";
import { findComponent } from "../../core/components/rules.ts";
import { createComponentInput, reorderComponentsInput, updateComponentInput } from "../../core/components/schemas.ts";
import { updateComponent } from "../../core/components/update-component.ts";
import type { AdminRoute } from "../admin-route.ts";

async function serialize(ctx: ActionContext, id: string) {
  const state = await loadComponentState(ctx.db);
  return componentView(state, findComponent(state.components, id));
}

const tag = "components";

export const componentRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/components",
    summary: "List components and groups",
    role: "viewer",
    tag,
    responseDescription: "components and groups in page order",
    handle: async (ctx) => ({ status: 200, body: componentsView(await loadComponentState(ctx.db)) }),
  },
  {
    method: "post",
    path: "/api/components",
    summary: "Create a component or group",
    role: "commander",
    tag,
    body: createComponentInput,
    responseDescription: "the created component",
    handle: async (ctx, { body }) => ({ status: 201, body: await createComponent(ctx, body) }),
  },
  {
    method: "post",
    path: "/api/components/reorder",
    summary: "Reorder components",
    role: "commander",
    tag,
    body: reorderComponentsInput,
    responseDescription: "all components in their new order",
    handle: async (ctx, { body }) => ({ status: 200, body: await reorderComponents(ctx, body) }),
  },
  {
    method: "get",
    path: "/api/components/{id}",
    summary: "Get a component",
    role: "viewer",
    tag,
    responseDescription: "the component",
    handle: async (ctx, { params }) => ({
      status: 200,
      body: await serialize(ctx, params.id ?? ""),
    }),
  },
  {
    method: "patch",
    path: "/api/components/{id}",
    summary: "Edit a component or set its status",
    role: "commander",
    tag,
    body: updateComponentInput,
    responseDescription: "the updated component",
    handle: async (ctx, { params, body }) => ({
      status: 200,
      body: await updateComponent(ctx, params.id ?? "", body),
    }),
  },
  {
    method: "delete",
    path: "/api/components/{id}",
    summary: "Delete a component or group",
    role: "admin",
    tag,
    responseDescription: "deleted",
    handle: async (ctx, { params }) => {
      await deleteComponent(ctx, params.id ?? "");
      return { status: 204 };
    },
  },
];
