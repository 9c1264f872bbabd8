import { createTemplate } from "../../core/templates/create-template.ts";
import { deleteTemplate } from "../../core/templates/delete-template.ts";
import { editTemplate } from "../../core/templates/edit-template.ts";
import { getTemplate, listTemplates } from "../../core/templates/list-templates.ts";
import { previewTemplate, templatePreviewSchema } from "../../core/templates/preview-template.ts";
import { createTemplateInput, editTemplateInput } from "../../core/templates/schemas.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "templates";

export const previewTemplateRoute = operationRoute(previewTemplate, {
  method: "post",
  path: "/api/templates/{id}/preview",
  summary: "Render a template as a post would, writing nothing (any role)",
  tag,
  status: 200,
  response: templatePreviewSchema,
  respond: (preview) => preview,
  responseDescription:
    "{ title, status, impact, components, next_update_in_minutes, body_md, body_html }: body_html is exactly what the page and the mail show",
});

export const templateRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/templates",
    summary: "List update templates (stock and the team's own)",
    role: "viewer",
    tag,
    responseDescription: "every template by kind and name, with its declared variables",
    handle: async (ctx) => ({ status: 200, body: await listTemplates(ctx) }),
  },
  {
    method: "post",
    path: "/api/templates",
    summary: "Create an update template",
    role: "commander",
    tag,
    body: createTemplateInput,
    responseDescription: "the new template",
    handle: async (ctx, { body }) => ({ status: 201, body: await createTemplate(ctx, body) }),
  },
  {
    method: "get",
    path: "/api/templates/{id}",
    summary: "Get an update template",
    role: "viewer",
    tag,
    responseDescription: "the template",
    handle: async (ctx, { params }) => ({ status: 200, body: await getTemplate(ctx, params.id ?? "") }),
  },
  {
    method: "patch",
    path: "/api/templates/{id}",
    summary: "Edit an update template (a stock one too; it is never overwritten)",
    role: "commander",
    tag,
    body: editTemplateInput,
    responseDescription: "the template",
    handle: async (ctx, { params, body }) => ({ status: 200, body: await editTemplate(ctx, params.id ?? "", body) }),
  },
  {
    method: "delete",
    path: "/api/templates/{id}",
    summary: "Delete an update template (a deleted stock template is not seeded again)",
    role: "commander",
    tag,
    responseDescription: "deleted",
    handle: async (ctx, { params }) => {
      await deleteTemplate(ctx, params.id ?? "");
      return { status: 204 };
    },
  },
  previewTemplateRoute,
];
