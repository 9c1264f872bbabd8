import { z } from "zod";
import { defineQuery } from "../actions/define.ts";
import { parseInput } from "../actions/validation.ts";
import { renderMarkdown } from "../text/markdown.ts";
import { postmortemInput, updateFields } from "./schemas.ts";

const updateBody = z.object({ body: updateFields.body }).strict();
const postmortemBody = postmortemInput.pick({ body: true });

/**
 * The sanitized HTML an update's or a postmortem's Markdown becomes, validated and rendered exactly as
 * posting it would (same schema, same renderer), without writing anything: the console's live preview.
 */
export const previewBody = defineQuery({
  name: "body.preview",
  role: "viewer",
  doing: "preview posts",
  input: z.object({ kind: z.enum(["update", "postmortem"]), body: z.string() }),
  async read(_ctx, { kind, body }) {
    if (kind === "postmortem") return renderMarkdown(parseInput(postmortemBody, { body }).body, { topHeading: 3 });
    // Posting and editing store the trimmed text (update-rules.ts, edit-update.ts).
    return renderMarkdown(parseInput(updateBody, { body }).body.trim());
  },
});
