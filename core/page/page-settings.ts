import { z } from "zod";
import { defineQuery } from "../actions/define.ts";
import type { PageRow } from "../model/rows.ts";
import { brandColors } from "./brand-color.ts";
import { getPage } from "./get-page.ts";

/** The page's settings as the API and the console show them. */
export const pageSettingsSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  api_url: z.string().nullable(),
  time_zone: z.string(),
  logo_url: z.string().nullable(),
  favicon_url: z.string().nullable(),
  brand_color: z.string().nullable(),
  /** Derived: the brand colour as the dark scheme shows it (lightened until it reads, 4.5:1). */
  brand_color_dark: z.string().nullable(),
  support_url: z.string().nullable(),
  team_email: z.string().nullable(),
  default_next_update_minutes: z.int().nullable(),
  sender_name: z.string().nullable(),
  sender_address: z.string().nullable(),
  review_weekday: z.int().nullable(),
  review_hour: z.int().nullable(),
  public_reliability: z.boolean(),
  sunset_reminder_days: z.int(),
  updated_at: z.string(),
});

export type PageSettings = z.output<typeof pageSettingsSchema>;

export function pageSettingsView(page: PageRow): PageSettings {
  return {
    id: page.id,
    name: page.name,
    url: page.url,
    api_url: page.apiUrl,
    time_zone: page.timeZone,
    logo_url: page.logoUrl,
    favicon_url: page.faviconUrl,
    brand_color: page.brandColor,
    brand_color_dark: page.brandColor ? brandColors(page.brandColor).dark : null,
    support_url: page.supportUrl,
    team_email: page.teamEmail,
    default_next_update_minutes: page.defaultNextUpdateMinutes,
    sender_name: page.senderName,
    sender_address: page.senderAddress,
    review_weekday: page.reviewWeekday,
    review_hour: page.reviewHour,
    public_reliability: page.publicReliability,
    sunset_reminder_days: page.sunsetReminderDays,
    updated_at: page.updatedAt,
  };
}

/** Any token may read the settings (a viewer sees everything, changes nothing). */
export const getPageSettings = defineQuery({
  name: "page.get",
  role: "viewer",
  doing: "read the page settings",
  input: z.object({}),
  read: async (ctx): Promise<PageSettings> => pageSettingsView(await getPage(ctx.db)),
});
