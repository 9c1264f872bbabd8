import { describe, expect, it } from "vitest";
import { importInputFromForm } from "../../api/console/subscriber-form.ts";
import { createWebhookRoute, editWebhookRoute } from "../../api/routes/webhooks.ts";
import type { Api } from "../../cli/api-client.ts";
import { requireRole } from "../../core/actions/authorize.ts";
import { type ActionContext, PUBLIC_ACTOR, SYSTEM_ACTOR } from "../../core/actions/context.ts";
import type { InputOf } from "../../core/actions/define.ts";
import { HeraldError } from "../../core/actions/errors.ts";
import { run } from "../../core/actions/run.ts";
import { addSubscriber } from "../../core/subscribers/admin/add-subscriber.ts";
import type { importSubscribers } from "../../core/subscribers/admin/import-subscribers.ts";
import { listSubscribers } from "../../core/subscribers/admin/list-subscribers.ts";
import { subscribe } from "../../core/subscribers/subscribe.ts";
import { updatePreferences } from "../../core/subscribers/update-preferences.ts";
import { createWebhook } from "../../core/webhook-subscribers/create-webhook.ts";
import { editWebhook } from "../../core/webhook-subscribers/edit-webhook.ts";

/** Never called: `npx tsc --noEmit` checks these lines, each `@ts-expect-error` a misspelt field that must not compile. */
function misspeltFieldsDoNotCompile(ctx: ActionContext, api: Api) {
  void run(ctx, addSubscriber, { address: "ann@example.com" });
  // @ts-expect-error `adress` is not a field of adding a subscriber
  void run(ctx, addSubscriber, { adress: "ann@example.com" });
  void run(ctx, updatePreferences, { subscriber_id: "s", scope: "all" });
  // @ts-expect-error `scop` is not a field of the preferences
  void run(ctx, updatePreferences, { subscriber_id: "s", scop: "all" });
  // @ts-expect-error `team` is not a field of the public subscribe form's action
  void run(ctx, subscribe, { email: "ann@example.com", team: true });
  void api.run(createWebhookRoute, { url: "https://hooks.example.com/x", owner_email: "ops@example.com" });
  // @ts-expect-error `owner` is not a field of creating a webhook (the CLI's call)
  void api.run(createWebhookRoute, { url: "https://hooks.example.com/x", owner: "ops@example.com" });
  // @ts-expect-error `tem` is not a field of editing a webhook
  void api.run(editWebhookRoute, { id: "w", tem: true });
  const form: InputOf<typeof importSubscribers> = importInputFromForm({ csv: "address\n" });
  // @ts-expect-error `cvs` is not a field of the import form's input
  const misspelt: InputOf<typeof importSubscribers> = { cvs: "address\n" };
  return [form, misspelt];
}

describe("who may run the audience's actions", () => {
  const ctxOf = (actor: ActionContext["actor"]) => ({ actor }) as ActionContext;
  const refused = (ctx: ActionContext, role: Parameters<typeof requireRole>[1]) => {
    try {
      requireRole(ctx, role, "do this");
      return false;
    } catch (error) {
      return error instanceof HeraldError && error.kind === "forbidden";
    }
  };

  it("the subscribe form's actions need no token; without one nothing else runs, and webhooks still need an admin", () => {
    expect(subscribe.role).toBe("public");
    expect(updatePreferences.role).toBe("public");
    expect(refused(ctxOf(PUBLIC_ACTOR), subscribe.role)).toBe(false);
    expect(refused(ctxOf(PUBLIC_ACTOR), createWebhook.role)).toBe(true);
    expect(refused(ctxOf(PUBLIC_ACTOR), listSubscribers.role)).toBe(true);
    expect(refused(ctxOf({ id: "t", name: "v", role: "viewer" }), listSubscribers.role)).toBe(false);
    expect(refused(ctxOf(PUBLIC_ACTOR), editWebhook.role)).toBe(true);
    expect(refused(ctxOf({ id: "t", name: "c", role: "commander" }), createWebhook.role)).toBe(true);
    expect(refused(ctxOf(SYSTEM_ACTOR), createWebhook.role)).toBe(false);
  });

  it("a misspelt field is a compile error (checked by tsc, never run)", () => {
    expect(misspeltFieldsDoNotCompile).toBeTypeOf("function");
  });

  it("the console's import form sends the uploaded file over the pasted text", () => {
    expect(importInputFromForm({ file: "address\nann@example.com\n", csv: "pasted" })).toEqual({
      csv: "address\nann@example.com\n",
    });
    expect(importInputFromForm({ file: " ", csv: "pasted" })).toEqual({ csv: "pasted" });
  });
});
