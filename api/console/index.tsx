/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { HeraldError } from "../../core/actions/errors.ts";
import type { ConsoleSession } from "../../core/console/sessions.ts";
import { getPage } from "../../core/page/get-page.ts";
import { databaseUnavailable, troubleLine } from "../database-problem.ts";
import { failureMessage } from "../written.ts";
import { CONSOLE_JS } from "./assets/script.ts";
import { CONSOLE_CSS } from "./assets/style.ts";
import { render, statusOf } from "./render.ts";
import { alertDraftRoutes } from "./routes/alert-drafts.tsx";
import { alertRuleRoutes } from "./routes/alert-rules.tsx";
import { alertSourceRoutes } from "./routes/alert-sources.tsx";
import { auditRoutes } from "./routes/audit.tsx";
import { componentRoutes } from "./routes/components.tsx";
import { dashboardRoutes } from "./routes/dashboard.tsx";
import { incidentListRoutes } from "./routes/incident-lists.tsx";
import { incidentRoutes } from "./routes/incidents.tsx";
import { inventoryRoutes } from "./routes/inventory.tsx";
import { passkeySignInRoutes } from "./routes/passkey-sign-in.ts";
import { passkeyRoutes } from "./routes/passkeys.tsx";
import { previewRoute } from "./routes/preview.ts";
import { scheduledRoutes } from "./routes/scheduled.ts";
import { settingsRoutes } from "./routes/settings.tsx";
import { signInRoutes, signOutRoute } from "./routes/sign-in.tsx";
import { signInLinkRoutes } from "./routes/sign-in-link.tsx";
import { ssoRoutes } from "./routes/sso.tsx";
import { subscriberRoutes } from "./routes/subscribers.tsx";
import { teamRoutes } from "./routes/team.tsx";
import { meRoutes } from "./routes/team-me.tsx";
import { templateRoutes } from "./routes/templates.tsx";
import { tokenRoutes } from "./routes/tokens.tsx";
import { type ConsoleDeps, type ConsoleEnv, requireSession } from "./session.ts";
import { Bare, Layout, PageHead } from "./ui/layout.tsx";

export type { ConsoleDeps } from "./session.ts";

/** Scripts and styles only from the console itself; forms post only to it; never framed. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** A subscriber import can be a large CSV. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

function Refused(props: { title: string; message: string }) {
  return (
    <Bare title={props.title}>
      <div class="card">
        <div class="card-h">
          <h1>{props.title}</h1>
        </div>
        <div class="card-b">
          <p>{props.message}</p>
          <p>
            <a href="/admin">Back to the console</a>
          </p>
        </div>
      </div>
    </Bare>
  );
}

const refuse = (c: Context, message: string) => render(c, <Refused title="Not accepted" message={message} />, 403);

/** The incident commander's console, mounted at /admin: server-rendered screens over the same core actions as the API. */
export function consoleApp(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const originCheck = csrf();

  app.use("*", async (c, next) => {
    await next();
    c.header("Content-Security-Policy", CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    if (!c.req.path.startsWith("/admin/assets/")) c.header("Cache-Control", "no-store");
  });
  app.use(
    "*",
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => refuse(c, "That upload is too large (8 MB at most).") }),
  );
  // A form posted from another origin is refused before anything reads it.
  app.use("*", async (c, next) => {
    try {
      await originCheck(c, next);
    } catch (error) {
      if (error instanceof HTTPException && error.status === 403) {
        return refuse(c, "This form was sent from another site. Nothing was changed.");
      }
      throw error;
    }
  });

  app.get("/assets/console.css", (c) =>
    c.body(CONSOLE_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=300" }),
  );
  app.get("/assets/console.js", (c) =>
    c.body(CONSOLE_JS, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    }),
  );

  signInRoutes(app, deps);
  signInLinkRoutes(app, deps);
  passkeySignInRoutes(app, deps);
  ssoRoutes(app, deps);
  app.use("*", requireSession(deps, refuse));
  signOutRoute(app, deps);
  previewRoute(app, deps);
  dashboardRoutes(app, deps);
  alertDraftRoutes(app, deps);
  incidentListRoutes(app, deps);
  incidentRoutes(app, deps);
  scheduledRoutes(app, deps);
  componentRoutes(app, deps);
  inventoryRoutes(app, deps);
  subscriberRoutes(app, deps);
  alertSourceRoutes(app, deps);
  alertRuleRoutes(app, deps);
  auditRoutes(app, deps);
  tokenRoutes(app, deps);
  teamRoutes(app, deps);
  meRoutes(app, deps);
  templateRoutes(app, deps);
  settingsRoutes(app, deps);
  passkeyRoutes(app, deps);

  app.onError(async (error, c) => {
    const session = c.var.session as ConsoleSession | undefined;
    const unavailable = databaseUnavailable(c, error);
    if (unavailable) {
      (deps.log ?? console.error)(troubleLine(error));
      c.header("Retry-After", unavailable.response.headers.get("Retry-After") ?? "5");
      return render(c, <Refused title="Try again in a moment" message={unavailable.detail} />, 503);
    }
    if (!(error instanceof HeraldError)) {
      (deps.log ?? console.error)(error);
      return render(c, <Refused title="Something went wrong" message={failureMessage(c)} />, 500);
    }
    if (!session) return render(c, <Refused title="Not accepted" message={error.message} />, statusOf(error));
    const page = await getPage(deps.db);
    return render(
      c,
      <Layout title="Not available" section="dashboard" session={session} pageName={page.name}>
        <PageHead
          title={error.kind === "forbidden" ? "Not allowed" : error.kind === "not_found" ? "Not found" : "Not accepted"}
          lead={error.message}
        />
        <a class="btn" href="/admin">
          Back to the dashboard
        </a>
      </Layout>,
      statusOf(error),
    );
  });

  app.all("*", async (c) => {
    const page = await getPage(deps.db);
    return render(
      c,
      <Layout title="Not found" section="dashboard" session={c.get("session")} pageName={page.name}>
        <PageHead title="Not found" lead="There is no console screen at this address." />
        <a class="btn" href="/admin">
          Back to the dashboard
        </a>
      </Layout>,
      404,
    );
  });
  return app;
}
