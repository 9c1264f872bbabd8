import { z } from "zod";
import { ALERT_SOURCE_KINDS } from "../../../db/enums.ts";
import type { alertSources, apiTokens } from "../../../db/schema.ts";
import { safeText } from "../../text/safe-text.ts";

/** The kinds a person can create over HTTP; `email` waits for the inbound mail listener (docs/alerts.md). */
export const CREATABLE_SOURCE_KINDS = ["alertmanager", "grafana", "pagerduty", "generic", "heartbeat"] as const;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const createAlertSourceInput = z
  .object({
    name: safeText({ max: 100, required: "a name is required" }).describe(
      "what people call it: Prometheus, Nightly backup",
    ),
    kind: z.enum(CREATABLE_SOURCE_KINDS, { error: `one of: ${CREATABLE_SOURCE_KINDS.join(", ")}` }),
    id: z
      .string()
      .regex(SLUG, "lowercase letters, digits and dashes, at most 40, e.g. prometheus")
      .optional()
      .describe("the source's name in its intake URL (/api/intake/{id}); default: made from the name"),
    signing_secret: z
      .string()
      // A secret, not text: its bounds live in the pattern, so it is not offered as free text anywhere.
      .regex(/^[\x21-\x7e]{8,200}$/, "8 to 200 printable ASCII characters without spaces, as PagerDuty gives it")
      .optional()
      .describe("PagerDuty's webhook signing secret (required for kind pagerduty)"),
    heartbeat_minutes: z
      .int()
      .min(1)
      .max(10_080)
      .optional()
      .describe("minutes without a ping before a heartbeat raises its alert (required for kind heartbeat)"),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.kind === "pagerduty" && !input.signing_secret) {
      ctx.addIssue({ code: "custom", path: ["signing_secret"], message: "required for a PagerDuty source" });
    }
    if (input.kind !== "pagerduty" && input.signing_secret) {
      ctx.addIssue({ code: "custom", path: ["signing_secret"], message: "only a PagerDuty source has one" });
    }
    if (input.kind === "heartbeat" && input.heartbeat_minutes === undefined) {
      ctx.addIssue({ code: "custom", path: ["heartbeat_minutes"], message: "required for a heartbeat" });
    }
    if (input.kind !== "heartbeat" && input.heartbeat_minutes !== undefined) {
      ctx.addIssue({ code: "custom", path: ["heartbeat_minutes"], message: "only a heartbeat has a period" });
    }
  });

export type CreateAlertSourceInput = z.output<typeof createAlertSourceInput>;

export const alertSourceIdInput = z.object({ id: z.string().describe("the source's id") });

/** A source as anyone listing them sees it: never its token, nor PagerDuty's signing secret. */
export const alertSourceViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ALERT_SOURCE_KINDS),
  /** Where the source delivers: `POST` (and, for a heartbeat, `GET`) with its token. */
  intake_path: z.string(),
  token_id: z.string(),
  has_signing_secret: z.boolean(),
  heartbeat_minutes: z.int().nullable(),
  last_ping_at: z.string().nullable(),
  /** When its token was last used: its last delivery, to the minute. */
  last_used_at: z.string().nullable(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
});

export type AlertSourceView = z.output<typeof alertSourceViewSchema>;

/** A source just created (or its token just replaced): the token, shown this once, and the full intake URL. */
export const alertSourceWithTokenSchema = alertSourceViewSchema.extend({
  token: z.string(),
  intake_url: z.string(),
});

export type AlertSourceWithToken = z.output<typeof alertSourceWithTokenSchema>;

export type AlertSourceRow = typeof alertSources.$inferSelect;
type TokenUse = Pick<typeof apiTokens.$inferSelect, "lastUsedAt">;

export function intakePath(id: string): string {
  return `/api/intake/${id}`;
}

export function alertSourceView(row: AlertSourceRow, token: TokenUse | undefined): AlertSourceView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    intake_path: intakePath(row.id),
    token_id: row.tokenId,
    has_signing_secret: row.signingSecret !== null,
    heartbeat_minutes: row.heartbeatMinutes,
    last_ping_at: row.lastPingAt,
    last_used_at: token?.lastUsedAt ?? null,
    created_at: row.createdAt,
    revoked_at: row.revokedAt,
  };
}

/** The name its token is listed under (GET /api/tokens): after its source. */
export function sourceTokenName(source: { id: string; name: string }): string {
  return `alert source: ${source.name} (${source.id})`.slice(0, 160);
}

/** A slug from a name ("Nightly backup" → `nightly-backup`); empty when the name has no latin letters or digits. */
export function slugOf(name: string): string {
  return name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}
