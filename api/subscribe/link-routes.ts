import type { Context, Hono } from "hono";
import { type FieldError, HeraldError } from "../../core/actions/errors.ts";
import { run } from "../../core/actions/run.ts";
import { paths } from "../../core/public/paths.ts";
import { confirmSubscription } from "../../core/subscribers/confirm-subscription.ts";
import { findSubscriber, subscriberScope } from "../../core/subscribers/scope.ts";
import type { LinkPurpose } from "../../core/subscribers/signed-links.ts";
import { unsubscribe } from "../../core/subscribers/unsubscribe.ts";
import { updatePreferences } from "../../core/subscribers/update-preferences.ts";
import type { AppDeps } from "../admin-route.ts";
import { buttonPage, managePage, messagePage } from "./pages.tsx";
import type { PublicPages } from "./public-pages.ts";
import { scopeChoices } from "./scope-choices.ts";

/**
 * The pages a signed link in a subscriber's mail opens: confirm, manage preferences, unsubscribe. A GET
 * only asks (a mail scanner follows links); the POST acts, the verified link its only authority.
 */
export function signedLinkRoutes(app: Hono, deps: AppDeps, { ctxFor, shell, html, links }: PublicPages): void {
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
    const { outcome } = await run(ctxFor(c), confirmSubscription, { subscriber_id: found.subscriber.id });
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
      await run(ctxFor(c), updatePreferences, {
        subscriber_id: found.subscriber.id,
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
    const via = oneClick ? "one-click" : "preferences";
    await run(ctxFor(c), unsubscribe, { subscriber_id: found.subscriber.id, via });
    return html(
      c,
      messagePage(await shell(), "You're unsubscribed", [
        "Nothing more will be sent to this address.",
        "Changed your mind? Subscribe again from the status page.",
      ]),
    );
  });
}
