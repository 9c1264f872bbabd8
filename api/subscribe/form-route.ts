import type { Context, Hono } from "hono";
import { type FieldError, HeraldError } from "../../core/actions/errors.ts";
import { addressSubject, type RateLimiter, type RateLimitResult } from "../../core/actions/rate-limit.ts";
import { runUnchecked } from "../../core/actions/run.ts";
import { paths } from "../../core/public/paths.ts";
import { subscribeInput } from "../../core/subscribers/schemas.ts";
import { subscribe } from "../../core/subscribers/subscribe.ts";
import { webhookInputs } from "../../core/webhook-subscribers/schemas.ts";
import { subscribeWebhook } from "../../core/webhook-subscribers/subscribe-webhook.ts";
import { webhookUrlPolicy } from "../../core/webhook-subscribers/url-policy.ts";
import type { AppDeps } from "../admin-route.ts";
import { readJsonBody } from "../json-body.ts";
import { problem } from "../problem.ts";
import { messagePage, subscribeErrorPage } from "./pages.tsx";
import type { PublicPages } from "./public-pages.ts";

/** What the webhook branch of the form (or its JSON) may send. */
const WEBHOOK_FORM_FIELDS = new Set(["email", "scope", "components", "webhook_url", "webhook_format"]);

const SAME_ANSWER =
  "If this address can receive our mail, a message is on its way: open the link in it to confirm (it is valid for 48 hours). Until then nothing else is sent.";

/**
 * `POST /subscribe`, from the form or as JSON: the same answer whatever the address's state, limited per
 * client address and (for well-formed requests) per email address.
 */
export function subscribeFormRoute(
  app: Hono,
  deps: AppDeps,
  { ctxFor, shell, formUrl, html }: PublicPages,
  limiters: { ip: RateLimiter; address: RateLimiter },
): void {
  const ipLimiter = limiters.ip;
  const addressLimiter = limiters.address;
  app.post(paths.subscribe(), async (c) => {
    const wantsJson = (c.req.header("Content-Type") ?? "").toLowerCase().includes("application/json");
    const limited = async (result: RateLimitResult) => {
      c.header("Retry-After", String(result.retryAfterSeconds));
      if (wantsJson) return problem(c, "rate_limited", "Too many subscribe requests; try again later.");
      return html(
        c,
        messagePage(await shell(), "Too many requests", [
          `Too many subscribe requests came from here. Please try again in ${Math.ceil(result.retryAfterSeconds / 60)} minutes.`,
        ]),
        429,
      );
    };
    const refused = async (errors: FieldError[], detail: string) => {
      if (wantsJson) return problem(c, "invalid", detail, errors);
      return html(c, subscribeErrorPage(await shell(), errors, await formUrl()), 422);
    };
    const answered = async () => {
      if (wantsJson) return c.json({ message: SAME_ANSWER }, 202, { "Cache-Control": "no-store" });
      return html(c, messagePage(await shell(), "Check your inbox", [SAME_ANSWER]));
    };

    const byIp = await ipLimiter.hit(addressSubject(deps.clientAddress?.(c)));
    if (byIp.limited) return limited(byIp);

    let input: Record<string, unknown>;
    if (wantsJson) {
      const read = await readJsonBody(c);
      if (!read.ok) return read.response;
      const body = read.value;
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        return problem(c, "malformed", "The body must be a JSON object.");
      }
      input = { ...body };
    } else {
      const form = await c.req.parseBody({ all: true });
      const values = (name: string) => [form[name] ?? []].flat().filter((v): v is string => typeof v === "string");
      input = { email: values("email")[0] ?? "", components: values("components") };
      const scope = values("scope")[0];
      if (scope !== undefined) input.scope = scope;
      const webhookUrl = values("webhook_url")[0]?.trim();
      if (webhookUrl) input.webhook_url = webhookUrl;
      const webhookFormat = values("webhook_format")[0];
      if (webhookFormat) input.webhook_format = webhookFormat;
    }
    if (typeof input.webhook_url === "string" && input.webhook_url !== "") {
      return subscribeWebhookFrom(c, input, { limited, refused, answered });
    }

    // Only well-formed requests count against the address (a typo must not lock its owner out).
    const parsed = subscribeInput.safeParse(input);
    if (parsed.success) {
      const byAddress = await addressLimiter.hit(parsed.data.email);
      if (byAddress.limited) return limited(byAddress);
    }
    try {
      await runUnchecked(ctxFor(c), subscribe, input);
    } catch (error) {
      if (error instanceof HeraldError && error.kind === "invalid") return refused(error.fieldErrors, error.message);
      throw error;
    }
    return answered();
  });

  /**
   * The form's webhook branch: the address is the webhook's owner, who gets the confirmation mail; the
   * same answer, the same limits (per IP above, per owner address here), the errors named by form field.
   */
  async function subscribeWebhookFrom(
    c: Context,
    input: Record<string, unknown>,
    reply: {
      limited: (result: RateLimitResult) => Promise<Response>;
      refused: (errors: FieldError[], detail: string) => Promise<Response>;
      answered: () => Promise<Response>;
    },
  ): Promise<Response> {
    const unknown = Object.keys(input).filter((key) => !WEBHOOK_FORM_FIELDS.has(key));
    if (unknown.length > 0) {
      return reply.refused(
        unknown.map((path) => ({ path, message: "not a field of this form" })),
        `Unknown field(s): ${unknown.join(", ")}.`,
      );
    }
    const components = Array.isArray(input.components) ? input.components : [];
    const scoped = input.scope === "components" || (input.scope === undefined && components.length > 0);
    if (scoped && components.length === 0) {
      return reply.refused(
        [{ path: "components", message: "choose at least one component, or the whole page" }],
        "Choose at least one component, or the whole page.",
      );
    }
    const webhook = {
      url: input.webhook_url,
      owner_email: input.email,
      ...(input.webhook_format !== undefined ? { format: input.webhook_format } : {}),
      ...(scoped ? { components } : {}),
    };
    // As for mail: only a well-formed request counts against the owner's address.
    const parsed = webhookInputs(webhookUrlPolicy(deps.settings)).create.safeParse(webhook);
    if (parsed.success) {
      const byAddress = await addressLimiter.hit(parsed.data.owner_email);
      if (byAddress.limited) return reply.limited(byAddress);
    }
    try {
      await runUnchecked(ctxFor(c), subscribeWebhook, webhook);
    } catch (error) {
      if (error instanceof HeraldError && error.kind === "invalid") {
        const field = (path: string) =>
          path === "url"
            ? "webhook_url"
            : path === "owner_email"
              ? "email"
              : path === "format"
                ? "webhook_format"
                : path;
        const errors = error.fieldErrors.map((e) => ({ ...e, path: field(e.path) }));
        const detail = errors.length > 0 ? errors.map((e) => `${e.path}: ${e.message}`).join("; ") : error.message;
        return reply.refused(errors, `The request is not valid: ${detail}`);
      }
      throw error;
    }
    return reply.answered();
  }
}
