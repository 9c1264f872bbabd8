import { z } from "zod";
import { createComponent } from "../../core/components/create-component.ts";
import { deleteComponent } from "../../core/components/delete-component.ts";
import { readComponent, readComponents } from "../../core/components/read-components.ts";
import { reorderComponents } from "../../core/components/reorder-components.ts";
import { updateComponent } from "../../core/components/update-component.ts";
import { v2Component } from "../../core/public/statuspage-schemas.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "components";

export const listComponentsRoute = operationRoute(readComponents, {
  method: "get",
  path: "/api/components",
  summary: "List components and groups",
  tag,
  status: 200,
  response: z.array(v2Component),
  respond: (components) => components,
  responseDescription: "components and groups in page order",
});

export const createComponentRoute = operationRoute(createComponent, {
  method: "post",
  path: "/api/components",
  summary: "Create a component or group",
  tag,
  status: 201,
  response: v2Component,
  respond: (component) => component,
  responseDescription: "the created component",
});

export const reorderComponentsRoute = operationRoute(reorderComponents, {
  method: "post",
  path: "/api/components/reorder",
  summary: "Reorder components",
  tag,
  status: 200,
  response: z.array(v2Component),
  respond: (components) => components,
  responseDescription: "all components in their new order",
});

export const getComponentRoute = operationRoute(readComponent, {
  method: "get",
  path: "/api/components/{id}",
  summary: "Get a component",
  tag,
  status: 200,
  response: v2Component,
  respond: (component) => component,
  responseDescription: "the component",
});

export const updateComponentRoute = operationRoute(updateComponent, {
  method: "patch",
  path: "/api/components/{id}",
  summary: "Edit a component or set its status",
  tag,
  status: 200,
  response: v2Component,
  respond: (component) => component,
  responseDescription: "the updated component",
});

export const deleteComponentRoute = operationRoute(deleteComponent, {
  method: "delete",
  path: "/api/components/{id}",
  summary: "Delete a component or group",
  tag,
  status: 204,
  responseDescription: "deleted",
});

export const componentRoutes: AdminRoute[] = [
  listComponentsRoute,
  createComponentRoute,
  reorderComponentsRoute,
  getComponentRoute,
  updateComponentRoute,
  deleteComponentRoute,
];
