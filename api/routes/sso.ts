import { getSsoSettings, ssoSettingsSchema, updateSsoSettings } from "../../core/people/sso/sso-settings.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "sso";

export const getSsoSettingsRoute = operationRoute(getSsoSettings, {
  method: "get",
  path: "/api/sso",
  summary: "Read the single sign-on settings",
  tag,
  status: 200,
  response: ssoSettingsSchema,
  respond: (settings) => settings,
  responseDescription: "domains (whose new people get an account at their first sign-in) and default_role",
});

export const updateSsoSettingsRoute = operationRoute(updateSsoSettings, {
  method: "patch",
  path: "/api/sso",
  summary: "Change which email domains single sign-on admits, and with what role",
  tag,
  status: 200,
  response: ssoSettingsSchema,
  respond: (result) => result.settings,
  responseDescription: "the settings as they now stand",
});

export const ssoRoutes: AdminRoute[] = [getSsoSettingsRoute, updateSsoSettingsRoute];
