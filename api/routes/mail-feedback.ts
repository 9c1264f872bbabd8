import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { PUBLIC_ACTOR } from "../../core/actions/context.ts";
import { HeraldError } from "../../core/actions/errors.ts";
import { run } from "../../core/actions/run.ts";
import { recordMailFeedback } from "../../core/notifications/mail-feedback/record-mail-feedback.ts";
import type { AppDeps } from "../admin-route.ts";
import { problem } from "../problem.ts";

/** Where Resend posts its webhooks (configure `email.bounced`, `email.complained`, `email.delivery_delayed`). */
export const RESEND_EVENTS_PATH = "/api/mail-events/resend";

/** Who the audit log names for a report: the provider, not a person. */
const RESEND_ACTOR = { ...PUBLIC_ACTOR, id: "provider:resend", name: "Resend" };

/**
 * The mail provider's signed webhooks, no token: the signature (RESEND_WEBHOOK_SECRET) is the authority.
 * Resend signs with Svix, whose `svix-*` headers are the Standard Webhooks `webhook-*` ones under another name.
 */
export function mailFeedbackRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.post(
    RESEND_EVENTS_PATH,
    bodyLimit({ maxSize: 64 * 1024, onError: (c) => problem(c, "too_large", "Reports are limited to 64 KiB.") }),
    async (c) => {
      const header = (name: string) => c.req.header(`webhook-${name}`) ?? c.req.header(`svix-${name}`) ?? "";
      const ctx = {
        db: deps.db,
        clock: deps.clock,
        actor: RESEND_ACTOR,
        onCommit: deps.onCommit,
        settings: deps.settings,
      };
      try {
        const result = await run(ctx, recordMailFeedback, {
          body: await c.req.text(),
          webhook_id: header("id"),
          webhook_timestamp: header("timestamp"),
          webhook_signature: header("signature"),
        });
        return c.json(result, 200);
      } catch (error) {
        if (error instanceof HeraldError) return problem(c, error.kind, error.message, error.fieldErrors);
        throw error;
      }
    },
  );
  return app;
}
