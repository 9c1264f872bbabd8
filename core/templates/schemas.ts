import { z } from "zod";
import { isReservedKey } from "../actions/own-keys.ts";
import { componentStatusSchema } from "../components/schemas.ts";
import { openIncidentInput, postUpdateInput, publishAtField } from "../incidents/schemas.ts";
import { ID_PATTERN } from "../model/ids.ts";
import { IMPACTS, UPDATE_STATUSES } from "../model/statuses.ts";
import { safeText } from "../text/safe-text.ts";

export const TEMPLATE_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const VARIABLE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

export const templateId = z
  .string()
  .regex(TEMPLATE_ID, "a template id: lowercase letters, digits and hyphens, at most 64")
  .describe("the template's id, e.g. partial-outage");

/** The same refusal whichever way a template arrives (JSON refuses these keys at the edge; forms and files do not). */
const RESERVED_NAME = "is a reserved name (__proto__, constructor, prototype): a request could never name it";

/** A variable's value: one line (a value can never start a Markdown block of its own), inserted as literal text. */
export const variableValue = safeText({ max: 1000 });

const variableDeclaration = z
  .object({
    name: z
      .string()
      .regex(VARIABLE_NAME, "lowercase letters, digits and _, starting with a letter, at most 40")
      .refine((name) => !isReservedKey(name), RESERVED_NAME),
    description: safeText({ max: 500 }).default(""),
    required: z.boolean().default(false),
    default: variableValue.optional().describe("used when the request gives no value"),
    choices: z
      .record(
        z
          .string()
          .regex(/^[a-z0-9_-]{1,40}$/, "a short lowercase word")
          .refine((key) => !isReservedKey(key), RESERVED_NAME),
        safeText({ max: 5000, multiline: true }),
      )
      .optional()
      .describe("allowed values → the Markdown each inserts (e.g. yes/no with wording for each)"),
  })
  .strict();

export type VariableDeclaration = z.output<typeof variableDeclaration>;

const templateFields = {
  id: templateId,
  name: safeText({ max: 120, required: "a name is required" }),
  kind: z.enum(["incident", "maintenance"]),
  status: z.enum(UPDATE_STATUSES).describe("the status an update from it posts"),
  title: safeText({ max: 255, required: "a title is required" }).describe(
    "the incident's name when opening one from it; {{variable}} allowed",
  ),
  body: safeText({ max: 25_000, multiline: true, required: "a body is required" }).describe(
    "the update's Markdown; {{variable}} allowed, nothing else",
  ),
  impact: z.enum(IMPACTS).nullable().describe("an impact override; null: computed from component statuses"),
  component_status: componentStatusSchema
    .nullable()
    .describe("the status given to each component a request lists by id; null: the request gives statuses"),
  components: z
    .record(z.string(), componentStatusSchema)
    .describe("component id → status, set whenever the template is used"),
  next_update_in_minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .nullable()
    .describe("the promised next update; null: none"),
  variables: z.array(variableDeclaration).max(30).describe("the variables a request fills in"),
};

export const createTemplateInput = z
  .object({
    ...templateFields,
    id: templateFields.id.optional().describe("default: made from the name"),
    impact: templateFields.impact.default(null),
    component_status: templateFields.component_status.default(null),
    components: templateFields.components.default({}),
    next_update_in_minutes: templateFields.next_update_in_minutes.default(null),
    variables: templateFields.variables.default([]),
  })
  .strict();

const { id: _, ...editable } = templateFields;
export const editTemplateInput = z
  .object(editable)
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, "give at least one field to change");

export type TemplateInput = z.output<typeof createTemplateInput>;
export type TemplateEdit = z.output<typeof editTemplateInput>;

/** A template as stored and used: every field present. */
export type Template = Omit<TemplateInput, "id"> & { id: string };

/** What a request that posts from a template adds to the ordinary fields. */
export const templateRequestFields = {
  template: templateId.describe("post from this template; the request's own fields override the template's"),
  variables: z.record(z.string(), variableValue).describe("the template's variables: name → value (literal text)"),
  components: z
    .union([z.record(z.string(), componentStatusSchema), z.array(z.string()).max(500)])
    .describe("component id → status; with a template also a list of ids, each given the template's component_status"),
};

export const templateRequest = z
  .object({
    template: templateRequestFields.template,
    variables: templateRequestFields.variables.optional(),
    components: templateRequestFields.components.optional(),
  })
  .loose();

/** `POST /api/incidents`: the ordinary fields, or a template with its variables (the ordinary fields then override it). */
export const openIncidentRequest = openIncidentInput.extend({
  name: openIncidentInput.shape.name.optional().describe("required, unless a template gives the name"),
  publish_at: publishAtField.optional(),
  template: templateRequestFields.template.optional(),
  variables: templateRequestFields.variables.optional(),
  components: templateRequestFields.components.optional(),
});

/** `POST /api/incidents/{id}/updates`, likewise. */
export const postUpdateRequest = postUpdateInput.extend({
  template: templateRequestFields.template.optional(),
  variables: templateRequestFields.variables.optional(),
  components: templateRequestFields.components.optional(),
});

/** `POST /api/templates/{id}/preview`: what a post from the template would carry, and the incident it would update. */
export const previewTemplateInput = openIncidentInput.partial().extend({
  incident_id: z
    .string()
    .regex(ID_PATTERN, "an incident id")
    .optional()
    .describe("preview an update of this incident; absent: opening a new one"),
  variables: templateRequestFields.variables.optional(),
  components: templateRequestFields.components.optional(),
});
