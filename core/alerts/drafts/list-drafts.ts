import { defineQuery } from "../../actions/define.ts";
import { readDraft, readDrafts } from "./read-drafts.ts";
import { getDraftInput, listDraftsInput } from "./schemas.ts";

/** The drafts incidents from alerts (waiting ones first), each with the alerts beside it. */
export const listDrafts = defineQuery({
  name: "alert_draft.list",
  role: "viewer",
  doing: "list draft incidents",
  input: listDraftsInput,
  read: (ctx, { state }) => readDrafts(ctx.db, state),
});

export const getDraft = defineQuery({
  name: "alert_draft.get",
  role: "viewer",
  doing: "read draft incidents",
  input: getDraftInput,
  read: (ctx, { id }) => readDraft(ctx.db, id),
});
