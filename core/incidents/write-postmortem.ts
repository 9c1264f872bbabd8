import { eq } from "drizzle-orm";
import { incidents } from "../../db/schema.ts";
import { requireRole } from "../authorize.ts";
import { commitChange, historyMonth } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { invalid } from "../errors.ts";
import { renderMarkdown } from "../markdown.ts";
import { renderJob } from "../outbox.ts";
import type { IncidentRecord } from "../types.ts";
import { parseInput } from "../validation.ts";
import { getIncident, getIncidentRow } from "./load-incidents.ts";
import { postmortemInput } from "./schemas.ts";

/**
 * Saves an incident's postmortem; publishing it shows it on the incident page and, as Statuspage does,
 * moves a resolved incident to the `postmortem` status. A draft stays private.
 */
export async function writePostmortem(
  ctx: ActionContext,
  incidentId: string,
  rawInput: unknown,
): Promise<IncidentRecord> {
  requireRole(ctx, "commander", "write postmortems");
  const input = parseInput(postmortemInput, rawInput);
  const current = await getIncidentRow(ctx.db, incidentId);
  if (current.kind !== "incident") {
    throw invalid("Only an incident has a postmortem.", [{ path: "(body)", message: "not for a maintenance" }]);
  }
  const publish = input.publish ?? true;
  const now = ctx.clock.now().toISOString();
  const resolved = current.status === "resolved" || current.status === "postmortem";
  await commitChange(ctx, {
    statements: [
      ctx.db
        .update(incidents)
        .set({
          postmortemMd: input.body,
          postmortemHtml: renderMarkdown(input.body, { topHeading: 3 }),
          postmortemPublishedAt: publish ? (current.postmortemPublishedAt ?? now) : null,
          status:
            publish && resolved
              ? "postmortem"
              : current.status === "postmortem" && !publish
                ? "resolved"
                : current.status,
          updatedAt: now,
        })
        .where(eq(incidents.id, incidentId)),
    ],
    audit: {
      action: publish ? "postmortem.publish" : "postmortem.draft",
      targetType: "incident",
      targetId: incidentId,
      details: { before: current.postmortemMd, after: input.body },
    },
    jobs: [renderJob({ incidents: [incidentId], months: [historyMonth(current.startedAt)] })],
  });
  return getIncident(ctx.db, incidentId);
}
