import { z } from "zod";
import { safeText } from "../../text/safe-text.ts";

const componentId = z.string().min(1).describe("the component's id");

/** `POST /api/components/{id}/deprecate`: when it leaves the page and what its users should do meanwhile. */
export const deprecateComponentRequest = z
  .object({
    id: componentId,
    sunset_at: z.iso
      .datetime({ offset: true, message: "a date and time with its offset, e.g. 2027-03-01T00:00:00Z" })
      .describe("when the component leaves the page (must be in the future)"),
    message: safeText({
      max: 2000,
      multiline: true,
      trim: true,
      required: "say what users should do instead",
    }).describe("what the notice tells users (Markdown), e.g. where to move"),
  })
  .strict();

/** `POST /api/components/{id}/undeprecate` and `/sunset`: only the component. */
export const componentStageRequest = z.object({ id: componentId }).strict();

export type DeprecateComponentInput = z.input<typeof deprecateComponentRequest>;
