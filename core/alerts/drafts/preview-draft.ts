import { eq } from "drizzle-orm";
import { alertDrafts } from "../../../db/schema.ts";
import { defineQuery } from "../../actions/define.ts";
import { notFound } from "../../actions/errors.ts";
import { listComponents } from "../../components/load-components.ts";
import { previewOpening } from "../../incidents/preview-post.ts";
import { openRequestOf } from "./draft-request.ts";
import { type DraftPreview, publishDraftInput } from "./schemas.ts";

/**
 * What publishing the draft (with these edits) would post: the page's text and the subscribers' mail, from the
 * same preview as opening an incident, writing nothing.
 */
export const previewDraft = defineQuery({
  name: "alert_draft.preview",
  role: "viewer",
  doing: "preview draft incidents",
  input: publishDraftInput,
  async read(ctx, { id, ...edits }, now) {
    const [[draft], components] = await Promise.all([
      ctx.db.select().from(alertDrafts).where(eq(alertDrafts.id, id)),
      listComponents(ctx.db),
    ]);
    if (!draft) throw notFound(`There is no draft ${id}.`);
    const request = openRequestOf(draft, edits, new Set(components.map((c) => c.id)));
    const preview = await previewOpening(ctx, request, now);
    const answer: DraftPreview = {
      name: request.name,
      status: request.status ?? "investigating",
      body: request.body ?? "",
      components: request.components ?? {},
      ...preview,
    };
    return answer;
  },
});
