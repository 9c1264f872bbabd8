/**
 * `review.read`: the review of calendar days in the page's time zone (default: the last 7 days, today
 * included), optionally narrowed to a component (or group) or a commander.
 */
import { z } from "zod";
import { defineQuery } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import { getPage } from "../page/get-page.ts";
import { computeReview } from "./compute-review.ts";
import { addDays, dayIn, periodOfDays } from "./period.ts";
import type { Review } from "./types.ts";

/** The longest period one review covers: two years (and the previous two). */
export const MAX_REVIEW_DAYS = 731;
export const DEFAULT_REVIEW_DAYS = 7;

const day = (description: string) =>
  z.iso.date({ message: "a calendar date, e.g. 2026-11-26" }).optional().describe(description);

export const reviewInput = z.object({
  from: day("the first day (YYYY-MM-DD, the page's time zone); default: 6 days before `to`"),
  to: day("the last day, included (YYYY-MM-DD); default: today"),
  component: z.string().min(1).max(100).optional().describe("a component's (or group's) id: only what touched it"),
  commander: z.string().min(1).max(100).optional().describe("a person's id: only the incidents they commanded"),
});

export type ReviewInput = z.output<typeof reviewInput>;

export const readReview = defineQuery({
  name: "review.read",
  role: "viewer",
  doing: "read the reliability review",
  input: reviewInput,
  read: async (ctx, input, now): Promise<Review> => {
    const page = await getPage(ctx.db);
    const { from, to } = reviewDays(input, page.timeZone, now);
    const period = periodOfDays(from, to, page.timeZone);
    return computeReview(
      ctx.db,
      {
        ...period,
        ...(input.component ? { componentId: input.component } : {}),
        ...(input.commander ? { commanderId: input.commander } : {}),
      },
      { now: () => now },
    );
  },
});

/** The days asked for, with the defaults filled in; a reversed or too long range is refused. */
export function reviewDays(input: ReviewInput, timeZone: string, now: Date): { from: string; to: string } {
  const to = input.to ?? (input.from ? addDays(input.from, DEFAULT_REVIEW_DAYS - 1) : dayIn(now, timeZone));
  const from = input.from ?? addDays(to, -(DEFAULT_REVIEW_DAYS - 1));
  if (from > to) throw invalid("The period ends before it begins.", [{ path: "to", message: "on or after from" }]);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > MAX_REVIEW_DAYS) {
    throw invalid(`A review covers at most ${MAX_REVIEW_DAYS} days.`, [
      { path: "from", message: `at most ${MAX_REVIEW_DAYS} days before to` },
    ]);
  }
  return { from, to };
}
