import { getSsoSettingsRoute, updateSsoSettingsRoute } from "../../api/routes/sso.ts";
import type { SsoSettings } from "../../core/people/sso/sso-settings.ts";
import { type CommandGroup, stringOption, UsageError } from "../command.ts";

function settingsText(settings: SsoSettings): string {
  const domains = settings.domains.length > 0 ? settings.domains.join(", ") : "none (only people already on the team)";
  return [
    `Allowed domains:      ${domains}`,
    `Role of a new person: ${settings.default_role}`,
    "The provider (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET) is set in the server's environment.",
  ].join("\n");
}

const setUsage = "sso set [--domains a.com,b.com] [--default-role ROLE]";

export const ssoGroup: CommandGroup = {
  name: "sso",
  summary: "Single sign-on: which email domains it admits, and with what role (admin).",
  commands: [
    {
      name: "show",
      usage: "sso show",
      summary: "Show the allowed domains and the role of a person single sign-on creates.",
      async run(ctx) {
        ctx.print(await ctx.api().run(getSsoSettingsRoute, {}), settingsText);
        return 0;
      },
    },
    {
      name: "set",
      usage: setUsage,
      summary: "Change the allowed domains (replacing the list) and/or the role of a new person.",
      options: {
        domains: {
          type: "string",
          value: "LIST",
          description: 'comma-separated, e.g. acme.com,acme.io; "" admits only people already on the team',
        },
        "default-role": { type: "string", value: "ROLE", description: "viewer, commander or admin" },
      },
      fieldOptions: { domains: "--domains", default_role: "--default-role" },
      notes: "Domains match exactly: acme.com does not admit eng.acme.com (list both).",
      async run(ctx, { values }) {
        const domains = stringOption(values, "domains");
        const role = stringOption(values, "default-role");
        if (domains === undefined && role === undefined) {
          throw new UsageError(`Give --domains, --default-role or both: herald ${setUsage}`);
        }
        const settings = await ctx.api().run(updateSsoSettingsRoute, {
          ...(domains !== undefined ? { domains: domains.split(/[\s,]+/).filter((d) => d !== "") } : {}),
          ...(role !== undefined ? { default_role: role } : {}),
        });
        ctx.print(settings, (s) => `Saved.\n${settingsText(s)}`);
        return 0;
      },
    },
  ],
};
