import { asc, gt } from "drizzle-orm";
import { subscribers } from "../../../db/schema.ts";
import { requireRole } from "../../actions/authorize.ts";
import type { ActionContext } from "../../actions/context.ts";
import { csvLine } from "./csv.ts";
import { withComponents } from "./list-subscribers.ts";

export const EXPORT_COLUMNS = ["address", "channel", "format", "state", "components", "created_at"];
const PAGE = 1000;

/**
 * Every subscriber as CSV, streamed a page at a time (keyset on id), so a large list is never held in
 * memory. `components` holds component ids separated by `;` (empty: the whole page). Webhook secrets
 * are never exported.
 */
export function exportSubscribers(ctx: ActionContext): ReadableStream<Uint8Array> {
  requireRole(ctx, "admin", "export subscribers");
  const encoder = new TextEncoder();
  let after: string | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(EXPORT_COLUMNS)));
        return;
      }
      const rows = await ctx.db
        .select()
        .from(subscribers)
        .where(after ? gt(subscribers.id, after) : undefined)
        .orderBy(asc(subscribers.id))
        .limit(PAGE);
      const last = rows.at(-1);
      if (!last) {
        controller.close();
        return;
      }
      after = last.id;
      const page = await withComponents(ctx.db, rows, ctx.actor.role);
      controller.enqueue(
        encoder.encode(
          page
            .map((s) => csvLine([s.address, s.channel, s.format, s.state, s.component_ids.join(";"), s.created_at]))
            .join(""),
        ),
      );
    },
  });
}
