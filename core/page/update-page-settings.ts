import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { page } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import type { Change } from "../changes/commit.ts";
import type { PageRow } from "../model/rows.ts";
import { unmarkFormerTeamAddresses } from "../subscribers/team-address.ts";
import { safeText } from "../text/safe-text.ts";
import { getPage } from "./get-page.ts";
import { type PageSettings, pageSettingsView } from "./page-settings.ts";
import { pageSettingsFields } from "./settings-fields.ts";

/** `PATCH /api/page`: every field optional; null clears an optional one. */
export const pageSettingsInput = z
  .object({
    name: safeText({ max: 255, required: "a name is required" }).describe("the page's name, shown on every page"),
    ...pageSettingsFields,
    sender_name: safeText({ max: 100, required: "give a name, or null to use the page's name" })
      .nullable()
      .describe("From: name of notification mail; null: the page's name"),
  })
  .partial()
  .strict();

export type PageSettingsInput = z.output<typeof pageSettingsInput>;

const COLUMNS = {
  name: "name",
  url: "url",
  api_url: "apiUrl",
  time_zone: "timeZone",
  logo_url: "logoUrl",
  favicon_url: "faviconUrl",
  brand_color: "brandColor",
  support_url: "supportUrl",
  team_email: "teamEmail",
  default_next_update_minutes: "defaultNextUpdateMinutes",
  sender_name: "senderName",
  sender_address: "senderAddress",
  review_weekday: "reviewWeekday",
  review_hour: "reviewHour",
  public_reliability: "publicReliability",
  sunset_reminder_days: "sunsetReminderDays",
} as const satisfies Record<keyof PageSettingsInput, keyof PageRow>;

/** The weekly review's day and hour are set together or cleared together: half a schedule sends nothing. */
function assertReviewScheduleWhole(next: PageRow): void {
  if ((next.reviewWeekday === null) === (next.reviewHour === null)) return;
  const [path, message] =
    next.reviewWeekday === null
      ? [
          "review_weekday",
          "the weekly review needs a day as well as an hour (1 Monday … 7 Sunday); clear both to turn it off",
        ]
      : [
          "review_hour",
          "the weekly review needs an hour as well as a day (0–23, page time zone); clear both to turn it off",
        ];
  throw invalid("The weekly review's day and hour go together.", [{ path, message }]);
}

/** What the audit log keeps of a value: an inlined image is summarised, not copied. */
function auditValue(value: unknown): unknown {
  return typeof value === "string" && value.length > 200
    ? `${value.slice(0, 40)}… (${value.length} characters)`
    : value;
}

/**
 * The change `input` makes to the page, or null when it changes nothing. Every setting shows on every
 * page (name, brand, time zone, links), so a change re-renders the whole site: a full render writes a
 * new release and switches to it at once.
 */
export function planPageSettings(current: PageRow, input: PageSettingsInput, db: Db) {
  const set: Partial<PageRow> = {};
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, column] of Object.entries(COLUMNS) as [keyof PageSettingsInput, keyof PageRow][]) {
    const value = input[field];
    if (value === undefined || value === current[column]) continue;
    Object.assign(set, { [column]: value });
    changed[field] = { from: auditValue(current[column]), to: auditValue(value) };
  }
  if (Object.keys(changed).length === 0) return { change: null, page: current };
  const next: PageRow = { ...current, ...set };
  assertReviewScheduleWhole(next);
  const change: Change = {
    statements: [
      db.update(page).set(set).where(eq(page.id, current.id)),
      // The former team address stops being shown (and kept) as the team's at once, not at the next reminder.
      ...("team_email" in changed ? [unmarkFormerTeamAddresses(db, next.teamEmail)] : []),
    ],
    audit: { action: "page.update", targetType: "page", targetId: current.id, details: { changed } },
    jobs: [],
    touched: { full: true },
  };
  return { change, page: next };
}

export type UpdatePageSettingsResult =
  | { outcome: "changed"; settings: PageSettings }
  /** Every value given was the current one: nothing was written. */
  | { outcome: "unchanged"; settings: PageSettings };

/** Changes the page's settings (admin only); answers with them as they now stand. */
export const updatePageSettings = defineAction({
  name: "page.update",
  role: "admin",
  doing: "change the page settings",
  input: pageSettingsInput,
  load: async (ctx) => ({ db: ctx.db, current: await getPage(ctx.db) }),
  plan({ db, current }, input, { now }): Outcome<UpdatePageSettingsResult> {
    const { change, page: next } = planPageSettings(current, input, db);
    if (!change) return { changes: [], result: { outcome: "unchanged", settings: pageSettingsView(next) } };
    // The commit moves updated_at (a render job makes a change public) to the instant the action runs at.
    const settings = pageSettingsView({ ...next, updatedAt: now.toISOString() });
    return { changes: [change], result: { outcome: "changed", settings } };
  },
});
