import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ActionContext } from "../../core/actions/context.ts";
import { type FieldError, HeraldError } from "../../core/actions/errors.ts";
import {
  addressSubject,
  type RateLimitResult,
  type RateLimitRule,
  rateLimiter,
} from "../../core/actions/rate-limit.ts";
import { getPage } from "../../core/page/get-page.ts";
import { paths } from "../../core/public/paths.ts";
import { confirmSubscription } from "../../core/subscribers/confirm-subscription.ts";
import { subscribeInput } from "../../core/subscribers/schemas.ts";
import { findSubscriber, subscriberScope } from "../../core/subscribers/scope.ts";
import { type LinkPurpose, type LinkSigner, linkSigner } from "../../core/subscribers/signed-links.ts";
import { subscribe } from "../../core/subscribers/subscribe.ts";
import { unsubscribe } from "../../core/subscribers/unsubscribe.ts";
import { updatePreferences } from "../../core/subscribers/update-preferences.ts";
import { webhookInputs } from "../../core/webhooks/schemas.ts";
import { subscribeWebhook } from "../../core/webhooks/subscribe-webhook.ts";
import { webhookUrlPolicy } from "../../core/webhooks/url-policy.ts";
import type { AppDeps } from "../admin-route.ts";
import { readJsonBody } from "../json-body.ts";
import { problem } from "../problem.ts";
import {
  buttonPage,
  managePage,
  messagePage,
  pageCsp,
  type Shell,
  shellOf,
  subscribeErrorPage,
} from "../subscribe/pages.tsx";
import { scopeChoices } from "../subscribe/scope-choices.ts";
import { noteCommits } from "../written.ts";

/** Subscribe attempts per client address (IPv6 by /64) per hour. */
export const SUBSCRIBE_IP_LIMIT: RateLimitRule = { name: "subscribe-ip", limit: 20, windowMs: 60 * 60 * 1000 };
/** Subscribe attempts per email address per hour: nobody can flood someone's inbox with confirmations. */
export const SUBSCRIBE_ADDRESS_LIMIT: RateLimitRule = { name: "subscribe-address", limit: 3, windowMs: 60 * 60 * 1000 };

/** What the webhook branch of the form (or its JSON) may send. */
const WEBHOOK_FORM_FIELDS = new Set(["email", "scope", "components", "webhook_url", "webhook_format"]);

const SAME_ANSWER =
  "If this address can receive our mail, a message is on its way: open the link in it to confirm (it is valid for 48 hours). Until then nothing else is sent.";

export type SubscribeDeps = AppDeps & {
  /** HERALD_SECRET; without it the key generated once and kept in the database signs the links. */
  linkSecret?: string | undefined;
  ipLimit?: RateLimitRule | undefined;
  addressLimit?: RateLimitRule | undefined;
};

/**
 * The public subscribe API and the signed-link pages: no token, CSRF-safe by design (a cross-site post
 * can only create an unconfirmed subscription and send a confirmation; signed links are their own authority).
 */
export function subscribeRoutes(deps: SubscribeDeps): Hono {
  const app = new Hono();
  const ipLimiter = rateLimiter(deps.db, deps.clock, deps.ipLimit ?? SUBSCRIBE_IP_LIMIT);
  const addressLimiter = rateLimiter(deps.db, deps.clock, deps.addressLimit ?? SUBSCRIBE_ADDRESS_LIMIT);
  let signer: Promise<LinkSigner> | undefined;
  const links = () => {
    signer ??= linkSigner(deps.db, deps.clock, deps.linkSecret).catch((error: unknown) => {
      signer = undefined;
      throw error;
    });
    return signer;
  };
  const ctxFor = (c: Context): ActionContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: { id: "public", name: "subscriber", role: "viewer" },
    onCommit: noteCommits(c, deps.onCommit),
    settings: deps.settings,
  });
  const shell = async (): Promise<Shell> => {
    return shellOf(await getPage(deps.db));
  };
  const formUrl = async () => {
    const page = await getPage(deps.db);
    return `${page.url}${paths.subscribePage()}`;
  };
  const html = async (
    c: Context,
    body: ReturnType<typeof messagePage>,
    status: 200 | 400 | 404 | 410 | 422 | 429 = 200,
  ) => {
    c.header("Content-Security-Policy", pageCsp(await shell()));
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer"); // the token stays out of Referer headers
    return c.html(`<!doctype html>${body}`, status);
  };

  const limitBody = bodyLimit({
    maxSize: 16 * 1024,
    onError: (c) => {
      c.header("Connection", "close");
      return problem(c, "too_large", "Subscribe requests are limited to 16 KiB.");
    },
  });
  // Mounted at the root: a "*" middleware would reach every route of the app, so name the paths.
  app.use(paths.subscribe(), limitBody);
  app.use(`${paths.subscribe()}/*`, limitBody);

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
      await subscribe(ctxFor(c), input as Parameters<typeof subscribe>[1]);
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
      await subscribeWebhook(ctxFor(c), webhook);
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

  /** Verifies the `token` query for `purpose`; the refusal page when it is tampered or expired. */
  const verified = async (c: Context, purpose: LinkPurpose) => {
    const token = c.req.query("token") ?? "";
    const result = await (await links()).verify(token, purpose, deps.clock.now());
    if (result.ok) {
      const subscriber = await findSubscriber(deps.db, result.subscriberId);
      if (subscriber) return { subscriber, token };
    }
    const expired = !result.ok && result.reason === "expired";
    const page = expired
      ? messagePage(await shell(), "This link has expired", [
          "Confirmation links are valid for 48 hours. Nothing was changed.",
          "Subscribe again from the status page to get a fresh link.",
        ])
      : messagePage(await shell(), "This link is not valid", [
          "The link is incomplete or was changed, or the subscription no longer exists. Nothing was changed.",
          "Copy the whole link from the mail, or use the link in a newer mail.",
        ]);
    return html(c, page, expired ? 410 : 400);
  };

  app.get("/subscribe/confirm", async (c) => {
    const found = await verified(c, "confirm");
    if (found instanceof Response) return found;
    return html(
      c,
      buttonPage(
        await shell(),
        "Confirm your subscription",
        `Confirm that ${found.subscriber.address} should get status updates.`,
        paths.confirmSubscription(found.token),
        "Confirm subscription",
      ),
    );
  });
  app.post("/subscribe/confirm", async (c) => {
    const found = await verified(c, "confirm");
    if (found instanceof Response) return found;
    const outcome = await confirmSubscription(ctxFor(c), found.subscriber.id);
    const manage = paths.managePreferences(
      await (await links()).sign({ subscriberId: found.subscriber.id, purpose: "manage" }, deps.clock.now()),
    );
    const webhook = found.subscriber.channel === "webhook";
    const [title, line] =
      outcome === "confirmed"
        ? webhook
          ? ["Webhook confirmed", `Status updates will be posted to ${found.subscriber.address}.`]
          : ["You're subscribed", "Thank you: status updates will come to this address."]
        : outcome === "already-confirmed"
          ? ["Already confirmed", "This subscription was already confirmed; nothing was changed."]
          : ["This link can no longer confirm", "This subscription was ended; subscribe again from the status page."];
    return html(
      c,
      messagePage(
        await shell(),
        title,
        // Shown once, on the page only the owner's mail leads to: what verifies the webhook-signature header.
        outcome === "confirmed" && webhook && found.subscriber.webhookSecret
          ? [
              line,
              `Signing secret, shown only now (Standard Webhooks; verify each POST's webhook-signature with it): ${found.subscriber.webhookSecret}`,
            ]
          : [line],
        outcome === "not-pending" ? undefined : { href: manage, text: "Choose what you hear about, or unsubscribe" },
      ),
    );
  });

  const renderManage = async (
    c: Context,
    subscriberId: string,
    token: string,
    extra: { notice?: string; errors?: FieldError[] } = {},
  ) => {
    const subscriber = await findSubscriber(deps.db, subscriberId);
    if (!subscriber)
      return html(c, messagePage(await shell(), "Not found", ["This subscription no longer exists."]), 404);
    const unsubscribeToken = await (await links()).sign({ subscriberId, purpose: "unsubscribe" }, deps.clock.now());
    return html(
      c,
      managePage(await shell(), {
        address: subscriber.address,
        state: subscriber.state,
        choices: await scopeChoices(deps.db),
        allComponents: subscriber.allComponents,
        chosen: new Set(await subscriberScope(deps.db, subscriberId)),
        saveAction: paths.managePreferences(token),
        unsubscribeAction: paths.unsubscribe(unsubscribeToken),
        ...extra,
      }),
      extra.errors ? 422 : 200,
    );
  };

  app.get("/subscribe/manage", async (c) => {
    const found = await verified(c, "manage");
    if (found instanceof Response) return found;
    return renderManage(c, found.subscriber.id, found.token);
  });
  app.post("/subscribe/manage", async (c) => {
    const found = await verified(c, "manage");
    if (found instanceof Response) return found;
    const form = await c.req.parseBody({ all: true });
    const values = (name: string) => [form[name] ?? []].flat().filter((v): v is string => typeof v === "string");
    try {
      await updatePreferences(ctxFor(c), found.subscriber.id, {
        scope: values("scope")[0] ?? "all",
        components: values("components"),
      });
    } catch (error) {
      if (error instanceof HeraldError && error.kind === "invalid") {
        return renderManage(c, found.subscriber.id, found.token, {
          errors: error.fieldErrors.length > 0 ? error.fieldErrors : [{ path: "scope", message: error.message }],
        });
      }
      throw error;
    }
    return renderManage(c, found.subscriber.id, found.token, { notice: "Saved. Your preferences are updated." });
  });

  app.get("/subscribe/unsubscribe", async (c) => {
    const found = await verified(c, "unsubscribe");
    if (found instanceof Response) return found;
    return html(
      c,
      buttonPage(
        await shell(),
        "Unsubscribe",
        `Stop all status updates to ${found.subscriber.address}?`,
        paths.unsubscribe(found.token),
        "Unsubscribe",
      ),
    );
  });
  // RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` with no cookie or CSRF token;
  // the signed token is the authority, so any POST of a genuine link unsubscribes at once.
  app.post("/subscribe/unsubscribe", async (c) => {
    const found = await verified(c, "unsubscribe");
    if (found instanceof Response) return found;
    const oneClick = c.req.header("Content-Type")?.includes("form") && (await c.req.text()).includes("One-Click");
    await unsubscribe(ctxFor(c), found.subscriber.id, oneClick ? "one-click" : "preferences");
    return html(
      c,
      messagePage(await shell(), "You're unsubscribed", [
        "Nothing more will be sent to this address.",
        "Changed your mind? Subscribe again from the status page.",
      ]),
    );
  });

  return app;
}
