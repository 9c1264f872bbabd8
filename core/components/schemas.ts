import { z } from "zod";
import { COMPONENT_STATUSES } from "../model/statuses.ts";
import { safeText } from "../text/safe-text.ts";

export const componentStatusSchema = z.enum(COMPONENT_STATUSES);

const componentFields = {
  name: safeText({ max: 255, required: "a name is required" }),
  description: safeText({ max: 1000, multiline: true, trim: true }).nullable(),
  status: componentStatusSchema,
  group_id: z.string().nullable(),
  position: z.number().int().min(0).max(1_000_000),
  showcase: z.boolean(),
  only_show_if_degraded: z.boolean(),
  start_date: z.iso.date().nullable(),
};

export const createComponentInput = z
  .object({
    ...componentFields,
    description: componentFields.description.optional(),
    status: componentFields.status.optional(),
    group_id: componentFields.group_id.optional(),
    position: componentFields.position.optional(),
    showcase: componentFields.showcase.optional(),
    only_show_if_degraded: componentFields.only_show_if_degraded.optional(),
    start_date: componentFields.start_date.optional(),
    group: z.boolean().optional().describe("true creates a group that other components can belong to"),
  })
  .strict();

export const updateComponentInput = z.object(componentFields).partial().strict();

/** `PATCH /api/components/{id}`: the component's id (from the path) and the fields to change. */
export const updateComponentRequest = updateComponentInput.extend({ id: z.string().describe("the component's id") });

export const reorderComponentsInput = z
  .object({ ids: z.array(z.string()).min(1).describe("component ids in their new order") })
  .strict();

export type CreateComponentInput = z.input<typeof createComponentInput>;
export type UpdateComponentInput = z.input<typeof updateComponentRequest>;
