import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import type { EmailMessage, NotificationEvent } from "../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../core/notifications/email/channel.ts";
import type { V2Component } from "../../core/public/statuspage.ts";
import { notificationEvents, subscriberComponents, subscribers } from "../../db/schema.ts";
import type { TestApi } from "../helpers/api.ts";
import { manualClock } from "../helpers/database.ts";
import { TEST_HERALD_SECRET } from "../helpers/herald-worker.ts";
import { createWorkerdTestApi } from "../helpers/workerd-api.ts";
import { stopWorkerdRuntime, workerdRuntime } from "../helpers/workerd-runtime.ts";

/*
 * The console and the subscriber's journey on the Worker in workerd, on sqld: every page and form below is served
 * by the Worker; the mails are built from the database by the runner's own email channel (what `herald runner`
 * would send), and their signed links are followed back to the Worker.
 */

let api: TestApi;
let origin = "";
let database: V2Component;
let website: V2Component;

beforeEach(async () => {
  api = await createWorkerdTestApi(manualClock(), undefined);
  origin = (await workerdRuntime()).base;
  database = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
  website = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Website" } })).body;
});
afterEach(() => api.cleanup());
afterAll(stopWorkerdRuntime);

const form = (fields: Record<string, string> | [string, string][]) => new URLSearchParams(fields).toString();

async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const signedIn = await api.app.request("/admin/sign-in", {
    method: "POST",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: form({ token: api.tokens.commander }),
  });
  expect(signedIn.status).toBe(303);
  const cookie = (signedIn.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  const dashboard = await api.app.request("/admin", { headers: { Cookie: cookie } });
  expect(dashboard.status).toBe(200);
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(await dashboard.text())?.[1] ?? "";
  expect(csrf).not.toBe("");
  return { cookie, csrf };
}

/** The mail the runner would send for `event` to `address`. */
async function mailFor(event: NotificationEvent, address: string): Promise<EmailMessage> {
  const build = await emailMessagesFor(
    {
      db: api.db,
      clock: api.clock,
      publicUrl: origin,
      mailFrom: "Status <status@acme.test>",
      linkSecret: TEST_HERALD_SECRET,
    },
    event,
  );
  const [subscriber] = await api.db.select().from(subscribers).where(eq(subscribers.address, address));
  if (!build || !subscriber) throw new Error(`no mail for ${address}`);
  const mail = await build(subscriber);
  if (!mail) throw new Error(`no mail for ${address}`);
  return mail;
}

/** A link of the mail to the Worker (`kind`: confirm, manage or unsubscribe), as a path. */
function linkIn(mail: EmailMessage, kind: string): string {
  const found = new RegExp(`${origin}(/subscribe/${kind}\\?token=[^\\s"<>]+)`).exec(String(mail.text));
  if (!found?.[1]) throw new Error(`no ${kind} link in:\n${String(mail.text)}`);
  return found[1];
}

const eventsOf = (kind: string) => api.db.select().from(notificationEvents).where(eq(notificationEvents.kind, kind));

describe("the console on the Worker", () => {
  it("signs in, opens an incident and posts an update through its forms, each refused without the CSRF token", async () => {
    const { cookie, csrf } = await signIn();
    const post = (path: string, fields: Record<string, string>) =>
      api.app.request(path, {
        method: "POST",
        headers: { Cookie: cookie, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
        body: form(fields),
      });

    const forged = await post("/admin/incidents/new", { name: "Forged" });
    expect(forged.status).toBe(403);
    const opened = await post("/admin/incidents/new", {
      _csrf: csrf,
      name: "Checkout errors",
      body: "We are looking into failed payments.",
      status: "investigating",
      [`component.${database.id}`]: "partial_outage",
    });
    expect(opened.status).toBe(303);
    const location = opened.headers.get("Location") ?? "";
    const id = /\/admin\/incidents\/([^/?#]+)/.exec(location)?.[1] ?? "";
    expect(id).not.toBe("");

    const screen = await api.app.request(`/admin/incidents/${id}`, { headers: { Cookie: cookie } });
    expect(screen.status).toBe(200);
    expect(await screen.text()).toContain("Checkout errors");

    const updated = await post(`/admin/incidents/${id}/updates`, {
      _csrf: csrf,
      status: "identified",
      body: "A bad deploy; rolling back.",
    });
    expect(updated.status).toBe(303);
    const incident = (await api.request<AdminIncident>("GET", `/api/incidents/${id}`)).body;
    expect(incident.status).toBe("identified");
    expect(incident.incident_updates.map((u) => u.body)).toEqual([
      "A bad deploy; rolling back.",
      "We are looking into failed payments.",
    ]);
    const summary = await api.request<{ components: V2Component[] }>("GET", "/api/v2/summary.json", { as: null });
    expect(summary.body.components.find((c) => c.id === database.id)?.status).toBe("partial_outage");
    expect(await api.db.select().from(notificationEvents).where(eq(notificationEvents.incidentId, id))).toHaveLength(2);
  });
});

describe("subscribing on the Worker", () => {
  it("subscribes by the form, confirms from the mail, changes preferences and unsubscribes in one click", async () => {
    const subscribed = await api.app.request("/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form([
        ["email", " Ada@Example.com "],
        ["scope", "components"],
        ["components", database.id],
      ]),
    });
    expect(subscribed.status).toBe(200);
    expect(await subscribed.text()).toContain("Check your inbox");
    const [confirmEvent] = await eventsOf("subscription.confirm");
    if (!confirmEvent) throw new Error("no confirmation queued");

    // The confirmation mail's link: a GET only asks (mail scanners follow links), the POST confirms.
    const confirm = linkIn(await mailFor(confirmEvent, "ada@example.com"), "confirm");
    const asked = await api.app.request(confirm);
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("Confirm your subscription");
    const [pending] = await api.db.select().from(subscribers).where(eq(subscribers.address, "ada@example.com"));
    expect(pending?.state).toBe("unconfirmed");
    const confirmed = await api.app.request(confirm, { method: "POST" });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("You&#39;re subscribed");
    const [active] = await api.db.select().from(subscribers).where(eq(subscribers.address, "ada@example.com"));
    expect(active?.state).toBe("active");
    const tampered = await api.app.request(`${confirm.slice(0, -3)}xyz`, { method: "POST" });
    expect(tampered.status).toBe(400);

    // An incident on the database reaches Ada; its mail carries the manage and unsubscribe links.
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "Database failover", components: { [database.id]: "major_outage" } },
    });
    expect(opened.status).toBe(201);
    const [incidentEvent] = await eventsOf("incident.opened");
    if (!incidentEvent) throw new Error("no incident event");
    const mail = await mailFor(incidentEvent, "ada@example.com");
    const manage = linkIn(mail, "manage");
    const unsubscribe = linkIn(mail, "unsubscribe");
    const headers = (mail.headers ?? {}) as Record<string, string>;
    expect(headers["List-Unsubscribe"]).toContain(`<${origin}${unsubscribe}>`);
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");

    const preferences = await api.app.request(manage);
    expect(preferences.status).toBe(200);
    expect(await preferences.text()).toContain("ada@example.com");
    const saved = await api.app.request(manage, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form([
        ["scope", "components"],
        ["components", database.id],
        ["components", website.id],
      ]),
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Saved.");
    const scope = await api.db
      .select({ componentId: subscriberComponents.componentId })
      .from(subscriberComponents)
      .where(eq(subscriberComponents.subscriberId, active?.id ?? ""));
    expect(scope.map((s) => s.componentId).sort()).toEqual([database.id, website.id].sort());

    // RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the link, with no cookie.
    const gone = await api.app.request(unsubscribe, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(gone.status).toBe(200);
    expect(await gone.text()).toContain("You&#39;re unsubscribed");
    const [after] = await api.db.select().from(subscribers).where(eq(subscribers.address, "ada@example.com"));
    expect(after?.state).toBe("unsubscribed");
  });
});
