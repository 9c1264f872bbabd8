import { page } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { normalizeEmail } from "../subscribers/email-address.ts";

/** What the scheduler and the promise of a next update read from the page's configuration. */
export type SchedulerSettings = {
  /** Where overdue-update reminders are mailed (`HERALD_TEAM_EMAIL`); null: no mail, webhooks only. */
  teamEmail: string | null;
  /** Minutes an incident update promises the next one in when it names none; null: no promise. */
  defaultCadenceMinutes: number | null;
};

/** No team address, no default cadence: what plans use when given no settings. */
export const NO_SETTINGS: SchedulerSettings = { teamEmail: null, defaultCadenceMinutes: null };

/**
 * The one place these settings are read: the page settings (`team_email`, `default_next_update_minutes`,
 * changed through `PATCH /api/page`) and, where the page sets none, the configuration the transport
 * puts in the context (`HERALD_TEAM_EMAIL`, `HERALD_DEFAULT_CADENCE_MINUTES`).
 */
export async function schedulerSettings(ctx: Pick<ActionContext, "settings" | "db">): Promise<SchedulerSettings> {
  const [row] = await ctx.db
    .select({ teamEmail: page.teamEmail, defaultCadenceMinutes: page.defaultNextUpdateMinutes })
    .from(page)
    .limit(1);
  return {
    teamEmail: row?.teamEmail ?? ctx.settings?.teamEmail ?? null,
    defaultCadenceMinutes: row?.defaultCadenceMinutes ?? ctx.settings?.defaultCadenceMinutes ?? null,
  };
}

/** The cadence an update of this kind promises by default: incidents only (a maintenance has its window). */
export function defaultCadenceFor(kind: "incident" | "maintenance", settings: SchedulerSettings): number | null {
  return kind === "incident" ? settings.defaultCadenceMinutes : null;
}

/** The settings as configured by environment (Node) or bindings (Workers); a bad value is refused at start. */
export function settingsFromEnv(env: {
  HERALD_TEAM_EMAIL?: string | undefined;
  HERALD_DEFAULT_CADENCE_MINUTES?: string | undefined;
  HERALD_ALLOW_PRIVATE_WEBHOOKS?: string | undefined;
  RESEND_WEBHOOK_SECRET?: string | undefined;
  HERALD_SECRET?: string | undefined;
}): NonNullable<ActionContext["settings"]> {
  const given = env.HERALD_TEAM_EMAIL?.trim() || undefined;
  const teamEmail = given === undefined ? undefined : normalizeEmail(given);
  if (teamEmail === null) throw new Error(`HERALD_TEAM_EMAIL must be an email address, not "${given}".`);
  const cadence = env.HERALD_DEFAULT_CADENCE_MINUTES?.trim();
  const minutes = cadence ? Number(cadence) : undefined;
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 24 * 60))
    throw new Error(`HERALD_DEFAULT_CADENCE_MINUTES must be a whole number of minutes, not "${cadence}".`);
  return {
    teamEmail,
    defaultCadenceMinutes: minutes,
    allowPrivateWebhooks: env.HERALD_ALLOW_PRIVATE_WEBHOOKS === "1",
    linkSecret: env.HERALD_SECRET || undefined,
    mailWebhookSecret: env.RESEND_WEBHOOK_SECRET || undefined,
  };
}
