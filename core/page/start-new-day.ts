import type { ActionContext } from "../actions/context.ts";
import { commitChange } from "../changes/commit.ts";
import { listComponents } from "../components/load-components.ts";
import { getPage } from "./get-page.ts";

/**
 * Moves the page into a new UTC day when nothing else has: uptime bars are computed as of the page's
 * last change (so renders stay deterministic), and a quiet page would otherwise never show today.
 * Idempotent: a second call on the same day changes nothing. Returns whether it moved the page.
 */
export async function startNewDay(ctx: ActionContext): Promise<boolean> {
  const page = await getPage(ctx.db);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  if (page.updatedAt.slice(0, 10) >= today) return false;
  const components = await listComponents(ctx.db);
  await commitChange(ctx, {
    statements: [],
    audit: { action: "page.new_day", targetType: "page", targetId: page.id, details: { day: today } },
    jobs: [],
    touched: { components: components.map((c) => c.id) },
  });
  return true;
}
