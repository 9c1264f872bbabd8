import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { alertLog, alertSources } from "../../../db/schema.ts";
import { type ActionContext, PUBLIC_ACTOR } from "../../actions/context.ts";
import { HeraldError } from "../../actions/errors.ts";
import type { RateLimiter } from "../../actions/rate-limit.ts";
import type { Statement } from "../../changes/commit.ts";
import { evaluationRequestStatements } from "../automation/request.ts";
import type { IncomingAlert } from "../incoming.ts";
import { alertUpsertStatements, changesAutomation, storedAlerts } from "../store.ts";
import { receivePing } from "./heartbeats.ts";
import { alertLogInsert } from "./log-line.ts";
import { parseIntake } from "./parse.ts";
import { REFUSAL_STATUS, type Refusal, refusal } from "./refusal.ts";
import type { AlertSourceRow } from "./schemas.ts";
import { pagerDutySignatureValid } from "./signature.ts";
import { cleanText } from "./text.ts";

/** One HTTP delivery to `POST /api/intake/{source}` (or a heartbeat's `GET`), as the transport read it. */
export type Delivery = {
  sourceId: string;
  method: "GET" | "POST";
  body: Uint8Array<ArrayBuffer>;
  /** Whether a bearer token came (the context's actor is the public one when it was missing or not valid). */
  tokenSent: boolean;
  /** `X-PagerDuty-Signature`. */
  signature: string | undefined;
  /** `Idempotency-Key`; else the sender's own event id (PagerDuty's `event.id`). */
  idempotencyKey: string | undefined;
};

export const intakeAnswerSchema = z.strictObject({
  source: z.string(),
  summary: z.string().describe('one line: "3 alerts (2 firing, 1 resolved)", "ping"'),
  alerts: z.int().describe("alerts the delivery carried"),
  changed: z.int().describe("alerts whose state, severity or labels changed (0 for a repeat)"),
  evaluation_requested: z.boolean().describe("whether the rules will look at the alerts again"),
  duplicate: z.boolean().describe("a repeat of an idempotency key already received: answered, not applied"),
  log_id: z
    .string()
    .nullable()
    .describe("the intake log line of this delivery (GET /api/alert-log); null for a routine ping"),
});

export type IntakeAnswer = z.output<typeof intakeAnswerSchema>;

export type DeliveryResult =
  | { outcome: "accepted"; answer: IntakeAnswer }
  | { outcome: "duplicate"; answer: IntakeAnswer }
  | Refusal;

/**
 * Receives one delivery (flow: docs/alerts.md): the source and its token, the source's rate limit, PagerDuty's
 * signature, the payload parsed by the source's kind; then, in one batch, the alert upserts, the `received`
 * log line (with the idempotency key) and, when an alert changed what rules see, the evaluation request. The
 * intake never moves a component itself. A refusal changes nothing but its `refused` log line; a rate-limited
 * delivery is counted, and only the window's first refusal is logged. Not an audited action: the intake log
 * is the record of deliveries (an alert storm must not write thousands of audit rows).
 */
export async function receiveDelivery(
  ctx: ActionContext,
  limiter: RateLimiter,
  delivery: Delivery,
): Promise<DeliveryResult> {
  const now = ctx.clock.now();
  const [source] = await ctx.db.select().from(alertSources).where(eq(alertSources.id, delivery.sourceId));
  const refuse = (refused: Refusal, details: Record<string, unknown> = {}) =>
    logRefusal(ctx, source, delivery.sourceId, refused, details, now);
  if (!source) return refuse(refusal("not_found", `There is no alert source "${cleanText(delivery.sourceId, 100)}".`));
  if (ctx.actor.id === PUBLIC_ACTOR.id) {
    return refuse(
      delivery.tokenSent
        ? refusal("unauthorized", "This token is not valid or has been revoked.")
        : refusal("unauthorized", "Send the source's token as `Authorization: Bearer <token>`."),
    );
  }
  if (ctx.actor.role !== "automation") {
    return refuse(refusal("forbidden", "Only an alert source's own token can deliver alerts to it."));
  }
  if (ctx.actor.id !== source.tokenId || source.revokedAt) {
    return refuse(refusal("forbidden", `This token belongs to another alert source, not "${source.id}".`));
  }
  const limited = await limiter.hit(source.id);
  if (limited.limited) {
    const answer = {
      ...refusal("rate_limited", `Too many deliveries to "${source.id}"; try again in ${limited.retryAfterSeconds} s.`),
      retryAfterSeconds: limited.retryAfterSeconds,
    };
    // The window's first refusal (in this process) is logged; the rest are only counted by the limiter.
    if (firstRefusalOfWindow(limiter, source.id, now, limited.retryAfterSeconds)) {
      await refuse(answer, { limit: limiter.rule });
    }
    return answer;
  }
  if (source.kind === "heartbeat") return receivePing(ctx, source, now);
  if (delivery.method !== "POST") return refuse(refusal("method", `Send ${source.kind} alerts with POST.`));
  return receiveAlerts(ctx, source, delivery, now, refuse);
}

/** Per limiter, the end of the window each source's rate-limit refusal was logged for. */
const loggedWindows = new WeakMap<RateLimiter, Map<string, number>>();

function firstRefusalOfWindow(limiter: RateLimiter, sourceId: string, now: Date, retryAfterSeconds: number): boolean {
  const logged = loggedWindows.get(limiter) ?? new Map<string, number>();
  loggedWindows.set(limiter, logged);
  if ((logged.get(sourceId) ?? 0) > now.getTime()) return false;
  if (logged.size >= 10_000) logged.clear();
  logged.set(sourceId, now.getTime() + retryAfterSeconds * 1000);
  return true;
}

/** Writes a refused delivery's log line (its only trace) and hands the refusal back. */
async function logRefusal(
  ctx: ActionContext,
  source: AlertSourceRow | undefined,
  sourceId: string,
  refused: Refusal,
  details: Record<string, unknown>,
  now: Date,
): Promise<Refusal> {
  const line = alertLogInsert(
    ctx.db,
    {
      kind: "refused",
      sourceId: source?.id ?? null,
      httpStatus: REFUSAL_STATUS[refused.kind],
      summary: refused.detail,
      details: { ...details, ...(source ? {} : { source: cleanText(sourceId, 100) }), errors: refused.fieldErrors },
    },
    now,
  );
  await ctx.db.batch([line.statement]);
  return refused;
}

/** A delivery refused before it was read (too large): logged against its source when there is one. */
export async function refuseUnread(ctx: ActionContext, sourceId: string, refused: Refusal): Promise<Refusal> {
  const [source] = await ctx.db.select().from(alertSources).where(eq(alertSources.id, sourceId));
  return logRefusal(ctx, source, sourceId, refused, {}, ctx.clock.now());
}

async function receiveAlerts(
  ctx: ActionContext,
  source: AlertSourceRow,
  delivery: Delivery,
  now: Date,
  refuse: (refused: Refusal, details?: Record<string, unknown>) => Promise<Refusal>,
): Promise<DeliveryResult> {
  if (source.kind === "pagerduty") {
    const valid = source.signingSecret
      ? await pagerDutySignatureValid(source.signingSecret, delivery.body, delivery.signature)
      : false;
    if (!valid) {
      const why = delivery.signature ? "does not match the body" : "is missing";
      return refuse(refusal("unauthorized", `The X-PagerDuty-Signature ${why}; check the source's signing secret.`));
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(delivery.body));
  } catch (error) {
    const why = error instanceof SyntaxError ? error.message : "the body is not valid UTF-8";
    return refuse(refusal("malformed", `The body must be JSON: ${cleanText(why, 200)}.`), {
      bytes: delivery.body.length,
    });
  }
  let parsed: ReturnType<typeof parseIntake>;
  try {
    parsed = parseIntake(source.kind, body);
  } catch (error) {
    if (!(error instanceof HeraldError)) throw error;
    return refuse(refusal("invalid", cleanText(error.message, 480), error.fieldErrors.slice(0, 20)));
  }
  const key = cleanText(delivery.idempotencyKey ?? "", 200) || parsed.idempotencyKey;
  if (key) {
    const first = await firstDelivery(ctx, source.id, key);
    if (first) return answerDuplicate(ctx, source, key, first, now);
  }
  const stored = await storedAlerts(
    ctx.db,
    source.id,
    parsed.alerts.map((alert) => alert.fingerprint),
  );
  const changed = parsed.alerts.filter((alert) => changesAutomation(alert, stored.get(alert.fingerprint)));
  const evaluate = changed.length > 0;
  const summary = `${parsed.summary}${evaluate ? `; ${changed.length} changed` : parsed.alerts.length > 0 ? "; nothing changed" : ""}`;
  const line = alertLogInsert(
    ctx.db,
    {
      kind: "received",
      sourceId: source.id,
      httpStatus: 202,
      summary,
      details: {
        alerts: parsed.alerts.slice(0, 50).map(logged),
        changed: changed.map((a) => a.fingerprint).slice(0, 50),
      },
      idempotencyKey: key,
    },
    now,
  );
  const statements: Statement[] = [
    // First: a concurrent delivery of the same key fails here, before anything else is written.
    line.statement,
    ...alertUpsertStatements(ctx.db, source.id, parsed.alerts, now),
    ...(evaluate ? evaluationRequestStatements(ctx.db, now) : []),
  ];
  try {
    await ctx.db.batch(statements as [Statement, ...Statement[]]);
  } catch (error) {
    if (!key || !isIdempotencyClash(error)) throw error;
    const first = await firstDelivery(ctx, source.id, key);
    if (first) return answerDuplicate(ctx, source, key, first, now);
    throw error;
  }
  if (evaluate) ctx.onCommit?.();
  return {
    outcome: "accepted",
    answer: {
      source: source.id,
      summary,
      alerts: parsed.alerts.length,
      changed: changed.length,
      evaluation_requested: evaluate,
      duplicate: false,
      log_id: line.id,
    },
  };
}

function logged(alert: IncomingAlert): Record<string, unknown> {
  return { fingerprint: alert.fingerprint, status: alert.status, severity: alert.severity, summary: alert.summary };
}

type FirstDelivery = { id: string; summary: string; details: Record<string, unknown> };

async function firstDelivery(ctx: ActionContext, sourceId: string, key: string): Promise<FirstDelivery | undefined> {
  const [row] = await ctx.db
    .select({ id: alertLog.id, summary: alertLog.summary, details: alertLog.details })
    .from(alertLog)
    .where(and(eq(alertLog.sourceId, sourceId), eq(alertLog.idempotencyKey, key)));
  return row;
}

/** A repeat of a key already received: answered with the first delivery's summary, logged, and nothing else. */
async function answerDuplicate(
  ctx: ActionContext,
  source: AlertSourceRow,
  key: string,
  first: FirstDelivery,
  now: Date,
): Promise<DeliveryResult> {
  const line = alertLogInsert(
    ctx.db,
    {
      kind: "duplicate",
      sourceId: source.id,
      httpStatus: 200,
      summary: `A repeat of ${key}, already received: ${first.summary}`,
      details: { idempotency_key: key, first_log_id: first.id },
    },
    now,
  );
  await ctx.db.batch([line.statement]);
  const alerts = Array.isArray(first.details.alerts) ? first.details.alerts.length : 0;
  return {
    outcome: "duplicate",
    answer: {
      source: source.id,
      summary: first.summary,
      alerts,
      changed: 0,
      evaluation_requested: false,
      duplicate: true,
      log_id: first.id,
    },
  };
}

function isIdempotencyClash(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed: alert_log\./.test(e.message)) return true;
  }
  return false;
}
