import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminRoute } from "../../../api/admin-route.ts";
import { subscriberRoutes } from "../../../api/routes/subscribers.ts";
import { webhookRoutes } from "../../../api/routes/webhooks.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { createTestApi, PRIVATE_WEBHOOKS_ALLOWED, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi(undefined, PRIVATE_WEBHOOKS_ALLOWED);
});
afterEach(() => api.cleanup());

/** Sends a request and checks its answer against the response schema the route documents. */
async function answered(
  routes: AdminRoute[],
  method: AdminRoute["method"],
  template: string,
  path: string,
  json?: unknown,
) {
  const route = routes.find((r) => r.method === method && r.path === template);
  if (!route?.response) throw new Error(`no documented response for ${method} ${template}`);
  const response = await api.request<unknown>(method.toUpperCase(), path, { as: "admin", ...(json ? { json } : {}) });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  const checked = route.response.safeParse(response.body);
  expect(checked.success, JSON.stringify(checked.error?.issues)).toBe(true);
  return response.body as Record<string, unknown>;
}

describe("the subscriber and webhook routes answer as their response schemas say", () => {
  it("every answer of the webhook and subscriber admin routes parses with its documented schema", async () => {
    const component = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API" } })).body;
    const created = await answered(webhookRoutes, "post", "/api/webhooks", "/api/webhooks", {
      url: "http://127.0.0.1:9/hook",
      owner_email: "ops@example.com",
      components: [component.id],
      team: true,
    });
    await answered(webhookRoutes, "get", "/api/webhooks", "/api/webhooks");
    await answered(webhookRoutes, "patch", "/api/webhooks/{id}", `/api/webhooks/${created.id}`, { team: false });
    await answered(
      webhookRoutes,
      "post",
      "/api/webhooks/{id}/rotate-secret",
      `/api/webhooks/${created.id}/rotate-secret`,
    );

    const ann = await answered(subscriberRoutes, "post", "/api/subscribers", "/api/subscribers", {
      address: "ann@example.com",
      components: ["API"],
    });
    await answered(subscriberRoutes, "get", "/api/subscribers", "/api/subscribers?limit=10");
    await answered(subscriberRoutes, "get", "/api/subscribers/counts", "/api/subscribers/counts?state=active");
    await answered(subscriberRoutes, "post", "/api/subscribers/import", "/api/subscribers/import", {
      csv: "address,state\nbob@example.com,quarantined\nnot-an-address,active\n",
    });
    const path = `/api/subscribers/${ann.id}`;
    await answered(subscriberRoutes, "post", "/api/subscribers/{id}/quarantine", `${path}/quarantine`);
    await answered(subscriberRoutes, "post", "/api/subscribers/{id}/unquarantine", `${path}/unquarantine`);
    const incident = await openIncidentNow(contextFor(api.db, api.clock), {
      name: "Elevated errors",
      status: "investigating",
      body: "Looking into it.",
    });
    await answered(
      subscriberRoutes,
      "get",
      "/api/incidents/{id}/deliveries",
      `/api/incidents/${incident.id}/deliveries`,
    );
  });
});
