import { getPageSettings, pageSettingsSchema } from "../../core/page/page-settings.ts";
import { updatePageSettings } from "../../core/page/update-page-settings.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "page";

export const getPageSettingsRoute = operationRoute(getPageSettings, {
  method: "get",
  path: "/api/page",
  summary: "Read the page settings",
  tag,
  status: 200,
  response: pageSettingsSchema,
  respond: (settings) => settings,
  responseDescription:
    "name, url, api_url, time_zone, logo_url, favicon_url, brand_color (and the derived brand_color_dark), support_url, team_email, default_next_update_minutes, sender_name, sender_address, updated_at",
});

export const updatePageSettingsRoute = operationRoute(updatePageSettings, {
  method: "patch",
  path: "/api/page",
  summary: "Change the page settings (re-renders the whole site)",
  tag,
  status: 200,
  response: pageSettingsSchema,
  respond: (result) => result.settings,
  responseDescription:
    "the settings as they now stand; a change queues a full render (a new release, switched at once)",
});

export const pageRoutes: AdminRoute[] = [getPageSettingsRoute, updatePageSettingsRoute];
