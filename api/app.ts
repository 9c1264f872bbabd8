import { type Handler, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { OidcConfig } from "../core/people/sso/config.ts";
import type { Readiness } from "../db/readiness.ts";
import { type AdminRoute, openApiDocument, registerAdminRoutes } from "./admin-route.ts";
import { consoleApp } from "./console/index.tsx";
import { databaseUnavailable, troubleLine } from "./database-problem.ts";
import { type AuthVariables, bearerAuth } from "./middleware/auth.ts";
import { databaseReady } from "./middleware/database-ready.ts";
import { adminNoStore } from "./middleware/no-store.ts";
import { problem } from "./problem.ts";
import { alertDraftRoutes } from "./routes/alert-drafts.ts";
import { alertRuleRoutes } from "./routes/alert-rules.ts";
import { alertSourceRoutes } from "./routes/alert-sources.ts";
import { auditRoutes } from "./routes/audit.ts";
import { backupRoutes } from "./routes/backups.ts";
import { componentSunsetRoutes } from "./routes/component-sunset.ts";
import { componentRoutes } from "./routes/components.ts";
import { escalationRoutes } from "./routes/escalation.ts";
import { incidentRoutes } from "./routes/incidents.ts";
import { INTAKE_ROUTE_DOCS, intakeRoutes } from "./routes/intake.ts";
import { inventoryRoutes } from "./routes/inventory.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { mailFeedbackRoutes } from "./routes/mail-feedback.ts";
import { pageRoutes } from "./routes/page.ts";
import { peopleRoutes } from "./routes/people.ts";
import { PUBLIC_V2_PATHS, publicV2Routes } from "./routes/public-v2.ts";
import { reviewRoutes } from "./routes/review.ts";
import { ssoRoutes } from "./routes/sso.ts";
import { type SubscribeDeps, subscribeRoutes } from "./routes/subscribe.ts";
import { subscriberRoutes } from "./routes/subscribers.ts";
import { templateRoutes } from "./routes/templates.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { failureMessage } from "./written.ts";

export type { AppDeps } from "./admin-route.ts";

export const ADMIN_ROUTES: AdminRoute[] = [
  ...componentRoutes,
  ...componentSunsetRoutes,
  ...inventoryRoutes,
  ...incidentRoutes,
  ...escalationRoutes,
  ...auditRoutes,
  ...jobRoutes,
  ...tokenRoutes,
  ...peopleRoutes,
  ...pageRoutes,
  ...backupRoutes,
  ...subscriberRoutes,
  ...webhookRoutes,
  ...templateRoutes,
  ...alertDraftRoutes,
  ...alertSourceRoutes,
  ...alertRuleRoutes,
  ...ssoRoutes,
  ...reviewRoutes,
];
const MAX_BODY_BYTES = 256 * 1024;

/**
 * The Herald HTTP app, built from injected dependencies so that Node and Workers run the same code.
 * `fallback` serves everything outside `/api/` (the static site on Node).
 */
export function createApp(
  deps: SubscribeDeps & {
    fallback?: Handler | undefined;
    log?: (error: unknown) => void;
    /** Whether the database is set up for this build; checked until it is (the Worker: nothing migrates it at start). */
    readiness?: (() => Promise<Readiness>) | undefined;
    /** The OpenID provider of the console's single sign-on (OIDC_*); null or unset: none. */
    sso?: OidcConfig | null | undefined;
  },
): Hono<{ Variables: AuthVariables }> {
  const app = new Hono<{ Variables: AuthVariables }>();
  const openApi = JSON.stringify(openApiDocument([...ADMIN_ROUTES, ...INTAKE_ROUTE_DOCS], PUBLIC_V2_PATHS));

  app.onError((error, c) => {
    const unavailable = databaseUnavailable(c, error);
    if (unavailable) {
      (deps.log ?? console.error)(troubleLine(error));
      return unavailable.response;
    }
    (deps.log ?? console.error)(error);
    return problem(c, "internal", failureMessage(c));
  });
  app.notFound((c) => problem(c, "not_found", `There is nothing at ${c.req.method} ${c.req.path}.`));

  if (deps.readiness) app.use("*", databaseReady(deps.readiness));
  // Liveness: no database work. Readiness: one round trip to the database (a 503 problem when it fails).
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    await deps.db.$client.execute("SELECT 1");
    return c.json({ ok: true }, 200, { "Cache-Control": "no-store" });
  });
  app.route("/api/v2", publicV2Routes(deps.db));
  app.route("/", subscribeRoutes(deps));
  app.route("/", mailFeedbackRoutes(deps));
  // Before the admin API's body limit and bearer auth: the intake reads its raw body and answers its own refusals.
  app.route("/", intakeRoutes(deps));
  app.get("/api/openapi.json", (c) => c.body(openApi, 200, { "Content-Type": "application/json; charset=utf-8" }));

  app.route("/admin", consoleApp(deps));

  app.use("/api/*", adminNoStore());
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        // The rest of the body is not read: the connection cannot carry another request.
        c.header("Connection", "close");
        return problem(c, "too_large", `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`);
      },
    }),
  );
  app.use("/api/*", bearerAuth({ db: deps.db, clock: deps.clock, clientAddress: deps.clientAddress, log: deps.log }));
  registerAdminRoutes(app, ADMIN_ROUTES, deps);

  if (deps.fallback) {
    const fallback = deps.fallback;
    app.get("*", async (c, next) => (c.req.path.startsWith("/api/") ? next() : fallback(c, next)));
  }
  return app;
}
