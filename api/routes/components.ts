import { createComponent } from "../../core/components/create-component.ts";
import { deleteComponent } from "../../core/components/delete-component.ts";
import { getComponent, listComponents } from "../../core/components/load-components.ts";
import { reorderComponents } from "../../core/components/reorder-components.ts";
import { createComponentInput, reorderComponentsInput, updateComponentInput } from "../../core/components/schemas.ts";
import { updateComponent } from "../../core/components/update-component.ts";
import type { ActionContext } from "../../core/context.ts";
import { getPage } from "../../core/page/get-page.ts";
import { orderComponents, v2Component } from "../../core/public/statuspage.ts";
import type { ComponentRow } from "../../core/types.ts";
import type { AdminRoute } from "../admin-route.ts";

async function serialize(ctx: ActionContext, row: ComponentRow) {
  const [all, page] = await Promise.all([listComponents(ctx.db), getPage(ctx.db)]);
  return v2Component(row, all, page.id);
}

async function serializeAll(ctx: ActionContext) {
  const [all, page] = await Promise.all([listComponents(ctx.db), getPage(ctx.db)]);
  return orderComponents(all).map((c) => v2Component(c, all, page.id));
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
    handle: async (ctx) => ({ status: 200, body: await serializeAll(ctx) }),
  },
  {
    method: "post",
    path: "/api/components",
    summary: "Create a component or group",
    role: "commander",
    tag,
    body: createComponentInput,
    responseDescription: "the created component",
    handle: async (ctx, { body }) => ({ status: 201, body: await serialize(ctx, await createComponent(ctx, body)) }),
  },
  {
    method: "post",
    path: "/api/components/reorder",
    summary: "Reorder components",
    role: "commander",
    tag,
    body: reorderComponentsInput,
    responseDescription: "all components in their new order",
    handle: async (ctx, { body }) => {
      await reorderComponents(ctx, body);
      return { status: 200, body: await serializeAll(ctx) };
    },
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
      body: await serialize(ctx, await getComponent(ctx.db, params.id ?? "")),
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
      body: await serialize(ctx, await updateComponent(ctx, params.id ?? "", body)),
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
