import { getPageSettings } from "../../core/page/page-settings.ts";
import { pageSettingsInput, updatePageSettings } from "../../core/page/update-page-settings.ts";
import type { AdminRoute } from "../admin-route.ts";

const tag = "page";

export const pageRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/page",
    summary: "Read the page settings",
    role: "viewer",
    tag,
    responseDescription:
      "name, url, time_zone, logo_url, favicon_url, brand_color (and the derived brand_color_dark), support_url, team_email, default_next_update_minutes, sender_name, sender_address, updated_at",
    handle: async (ctx) => ({ status: 200, body: await getPageSettings(ctx) }),
  },
  {
    method: "patch",
    path: "/api/page",
    summary: "Change the page settings (re-renders the whole site)",
    role: "admin",
    tag,
    body: pageSettingsInput,
    responseDescription:
      "the settings as they now stand; a change queues a full render (a new release, switched at once)",
    handle: async (ctx, { body }) => ({ status: 200, body: await updatePageSettings(ctx, body) }),
  },
];
