import { eq } from "drizzle-orm";
import { z } from "zod";
import { PERSON_TOKEN_ROLES } from "../../../db/enums.ts";
import { page } from "../../../db/schema.ts";
import { defineAction, defineQuery, type Outcome } from "../../actions/define.ts";
import { getPage } from "../../page/get-page.ts";
import { forbiddenCharacter } from "../../text/safe-text.ts";

/** A host name as a domain list holds it: lower case, letters, digits and hyphens between dots, a dot at least once. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

const domain = z
  .string()
  .check((ctx) => {
    const problem =
      forbiddenCharacter(ctx.value) ??
      (DOMAIN.test(ctx.value.trim().toLowerCase().replace(/^@/, ""))
        ? null
        : "not a domain, like example.com (no @, no scheme, no path)");
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  })
  .transform((value) => value.trim().toLowerCase().replace(/^@/, ""));

export const ssoSettingsSchema = z.strictObject({
  domains: z.array(z.string()).describe("email domains whose new people get an account at their first sign-in"),
  default_role: z.enum(PERSON_TOKEN_ROLES).describe("the role of a person single sign-on creates"),
});

export type SsoSettings = z.output<typeof ssoSettingsSchema>;

export const ssoSettingsInput = z
  .strictObject({
    domains: z
      .array(domain)
      .max(50, "at most 50 domains")
      .transform((list) => [...new Set(list)].sort())
      .describe("email domains whose new people get an account at their first sign-in; [] : only invited people"),
    default_role: z.enum(PERSON_TOKEN_ROLES).describe("the role of a person single sign-on creates"),
  })
  .partial();

/** An admin reads who single sign-on lets in. */
export const getSsoSettings = defineQuery({
  name: "sso.get",
  role: "admin",
  doing: "read the single sign-on settings",
  input: z.object({}),
  read: async (ctx): Promise<SsoSettings> => {
    const current = await getPage(ctx.db);
    return { domains: current.ssoDomains, default_role: current.ssoDefaultRole };
  },
});

export type UpdateSsoSettingsResult = { outcome: "changed" | "unchanged"; settings: SsoSettings };

/** Changes which domains single sign-on admits and with what role (admin only; nothing public changes). */
export const updateSsoSettings = defineAction({
  name: "sso.update",
  role: "admin",
  doing: "change the single sign-on settings",
  input: ssoSettingsInput,
  load: async (ctx) => ({ db: ctx.db, current: await getPage(ctx.db) }),
  plan({ db, current }, input): Outcome<UpdateSsoSettingsResult> {
    const before: SsoSettings = { domains: current.ssoDomains, default_role: current.ssoDefaultRole };
    const after: SsoSettings = {
      domains: input.domains ?? before.domains,
      default_role: input.default_role ?? before.default_role,
    };
    if (JSON.stringify(after) === JSON.stringify(before)) {
      return { changes: [], result: { outcome: "unchanged", settings: before } };
    }
    const change = {
      statements: [
        db
          .update(page)
          .set({ ssoDomains: after.domains, ssoDefaultRole: after.default_role })
          .where(eq(page.id, current.id)),
      ],
      audit: { action: "sso.update", targetType: "page", targetId: current.id, details: { from: before, to: after } },
      jobs: [],
    };
    return { changes: [change], result: { outcome: "changed", settings: after } };
  },
});
