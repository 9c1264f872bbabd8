import type { ActionContext } from "../actions/context.ts";
import type { PageRow } from "../model/rows.ts";
import { brandColors } from "./brand-color.ts";
import { getPage } from "./get-page.ts";

/** The page's settings as the API and the console show them. */
export type PageSettings = {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  logo_url: string | null;
  favicon_url: string | null;
  brand_color: string | null;
  /** Derived: the brand colour as the dark scheme shows it (lightened until it reads, 4.5:1). */
  brand_color_dark: string | null;
  support_url: string | null;
  team_email: string | null;
  default_next_update_minutes: number | null;
  sender_name: string | null;
  sender_address: string | null;
  updated_at: string;
};

export function pageSettingsView(page: PageRow): PageSettings {
  return {
    id: page.id,
    name: page.name,
    url: page.url,
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
    updated_at: page.updatedAt,
  };
}

/** Any token may read the settings (a viewer sees everything, changes nothing). */
export async function getPageSettings(ctx: ActionContext): Promise<PageSettings> {
  return pageSettingsView(await getPage(ctx.db));
}
