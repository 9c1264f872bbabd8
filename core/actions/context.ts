import type { Db } from "../../db/client.ts";
import type { TokenRole } from "../../db/enums.ts";
import type { Clock } from "./clock.ts";

export type Role = TokenRole;

export type Actor = {
  id: string;
  name: string;
  role: Role;
  /** `person`: a signed-in person (the id is theirs), who commands what they open (docs/team.md); else a token or the system. */
  kind?: "person" | undefined;
};

/** Everything an action needs, injected by the transport (API, CLI, scheduler, tests). */
export type ActionContext = {
  db: Db;
  clock: Clock;
  actor: Actor;
  /** Called after an action's batch commits, so an in-process job runner can wake at once. */
  onCommit?: (() => void) | undefined;
  /**
   * Configuration the start-up layer read once: the page's defaults (read through `core/scheduler/settings.ts`
   * only) and `HERALD_ALLOW_PRIVATE_WEBHOOKS` (read through `core/webhook-subscribers/url-policy.ts` only).
   */
  settings?:
    | {
        teamEmail?: string | undefined;
        defaultCadenceMinutes?: number | undefined;
        allowPrivateWebhooks?: boolean | undefined;
        /** RESEND_WEBHOOK_SECRET: verifies the mail provider's bounce and complaint reports (core/notifications/mail-feedback/). */
        mailWebhookSecret?: string | undefined;
        /** HERALD_SECRET: signs the links mailed to people (core/people/link-tokens.ts); else the stored key. */
        linkSecret?: string | undefined;
      }
    | undefined;
};

export const SYSTEM_ACTOR: Actor = { id: "system", name: "system", role: "admin" };

/** Who acts when a request has no token: someone on the public subscribe form, or following a signed link. */
export const PUBLIC_ACTOR: Actor = { id: "public", name: "subscriber", role: "viewer" };
