import { z } from "zod";
import { createTemplate } from "../../core/templates/create-template.ts";
import { deleteTemplate } from "../../core/templates/delete-template.ts";
import { editTemplate } from "../../core/templates/edit-template.ts";
import { getTemplate, listTemplates } from "../../core/templates/list-templates.ts";
import { previewTemplate, templatePreviewSchema } from "../../core/templates/preview-template.ts";
import { templateViewSchema } from "../../core/templates/template-view.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "templates";

export const listTemplatesRoute = operationRoute(listTemplates, {
  method: "get",
  path: "/api/templates",
  summary: "List update templates (stock and the team's own)",
  tag,
  status: 200,
  response: z.array(templateViewSchema),
  respond: (templates) => templates,
  responseDescription: "every template by kind and name, with its declared variables",
});

export const createTemplateRoute = operationRoute(createTemplate, {
  method: "post",
  path: "/api/templates",
  summary: "Create an update template",
  tag,
  status: 201,
  response: templateViewSchema,
  respond: (template) => template,
  responseDescription: "the new template",
});

export const getTemplateRoute = operationRoute(getTemplate, {
  method: "get",
  path: "/api/templates/{id}",
  summary: "Get an update template",
  tag,
  status: 200,
  response: templateViewSchema,
  respond: (template) => template,
  responseDescription: "the template",
});

export const editTemplateRoute = operationRoute(editTemplate, {
  method: "patch",
  path: "/api/templates/{id}",
  summary: "Edit an update template (a stock one too; it is never overwritten)",
  tag,
  status: 200,
  response: templateViewSchema,
  respond: (template) => template,
  responseDescription: "the template",
});

export const deleteTemplateRoute = operationRoute(deleteTemplate, {
  method: "delete",
  path: "/api/templates/{id}",
  summary: "Delete an update template (a deleted stock template is not seeded again)",
  tag,
  status: 204,
  responseDescription: "deleted",
});

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
  listTemplatesRoute,
  createTemplateRoute,
  getTemplateRoute,
  editTemplateRoute,
  deleteTemplateRoute,
  previewTemplateRoute,
];
