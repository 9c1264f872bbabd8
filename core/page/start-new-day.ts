import { z } from "zod";
import { defineAction, type Outcome } from "../actions/define.ts";
import { listComponents } from "../components/load-components.ts";
import { getPage } from "./get-page.ts";

/**
 * Moves the page into a new UTC day when nothing else has: uptime bars are computed as of the page's
 * last change (so renders stay deterministic), and a quiet page would otherwise never show today.
 * Idempotent: a second run on the same day changes nothing. Its result says whether it moved the page.
 */
export const startNewDay = defineAction({
  name: "page.new_day",
  role: "admin",
  doing: "start a new day",
  input: z.object({}),
  async load(ctx) {
    const [page, components] = await Promise.all([getPage(ctx.db), listComponents(ctx.db)]);
    return { page, components };
  },
  plan({ page, components }, _input, { now }): Outcome<boolean> {
    const today = now.toISOString().slice(0, 10);
    if (page.updatedAt.slice(0, 10) >= today) return { changes: [], result: false };
    const change = {
      statements: [],
      audit: { action: "page.new_day", targetType: "page", targetId: page.id, details: { day: today } },
      jobs: [],
      touched: { components: components.map((c) => c.id) },
    };
    return { changes: [change], result: true };
  },
});
