/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import { listAlertLog } from "../../../core/alerts/sources/alert-log.ts";
import { createAlertSource } from "../../../core/alerts/sources/create-source.ts";
import { listAlertSources } from "../../../core/alerts/sources/list-sources.ts";
import { revokeAlertSource } from "../../../core/alerts/sources/revoke-source.ts";
import { rotateAlertSourceToken } from "../../../core/alerts/sources/rotate-source-token.ts";
import type { AlertSourceWithToken } from "../../../core/alerts/sources/schemas.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { ALERT_LOG_KINDS } from "../../../db/enums.ts";
import { attempt, done, render } from "../render.ts";
import { AlertsScreen } from "../screens/alert-sources.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { whole } from "../template-form.ts";
import type { FormValues, Refusal } from "../ui/form.tsx";

/**
 * The console is served by the API itself: the origin the person's browser reached it at (its form post's
 * `Origin`, which a proxy in front does not change) is the intake's too. Without one, the page settings' address.
 */
function atThisOrigin(c: Context<ConsoleEnv>, source: AlertSourceWithToken): AlertSourceWithToken {
  const origin = c.req.header("Origin");
  if (!origin || !/^https?:\/\/[^/]+$/.test(origin)) return source;
  return { ...source, intake_url: new URL(source.intake_path, origin).href };
}

/** The Alerts screen: sources (create, new token, revoke) and the intake log below them. */
export function alertSourceRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (
    c: Context<ConsoleEnv>,
    extra: { created?: AlertSourceWithToken; refusal?: Refusal; values?: FormValues } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const ctx = actionContext(c, deps);
    // Filters the query names only when they are well formed; a stale link shows everything rather than an error.
    const source = c.req.query("source") || undefined;
    const kindQuery = c.req.query("kind");
    const kind = ALERT_LOG_KINDS.find((k) => k === kindQuery);
    const before = c.req.query("before") || undefined;
    const [page, sources, log] = await Promise.all([
      getPage(deps.db),
      run(ctx, listAlertSources, {}),
      run(ctx, listAlertLog, { source, kind, before, limit: "50" }),
    ]);
    return render(
      c,
      <AlertsScreen
        session={c.get("session")}
        pageName={page.name}
        sources={sources}
        log={log}
        filters={{ source, kind, before }}
        done={c.req.query("done")}
        created={extra.created}
        refusal={extra.refusal}
        values={extra.values}
      />,
      status,
    );
  };
  app.get("/alerts", (c) => screen(c));

  app.post("/alerts/sources", async (c) => {
    const form = c.get("form");
    const result = await attempt(() =>
      run(actionContext(c, deps), createAlertSource, {
        name: form.name ?? "",
        kind: form.kind ?? "",
        id: form.id || undefined,
        signing_secret: form.signing_secret || undefined,
        heartbeat_minutes: form.heartbeat_minutes ? whole(form.heartbeat_minutes) : undefined,
      }),
    );
    // The signing secret is never sent back into the form.
    const { signing_secret: _, ...values } = form;
    if (!result.ok) return screen(c, { refusal: result.refusal, values }, result.status);
    // The token is shown once, in this answer (never in a URL a redirect would carry).
    return screen(c, { created: atThisOrigin(c, result.value) }, 201);
  });

  app.post("/alerts/sources/:id/token", async (c) => {
    const result = await attempt(() => run(actionContext(c, deps), rotateAlertSourceToken, { id: c.req.param("id") }));
    if (!result.ok) return screen(c, { refusal: result.refusal }, result.status);
    return screen(c, { created: atThisOrigin(c, result.value) }, 201);
  });

  app.post("/alerts/sources/:id/revoke", async (c) => {
    const result = await attempt(() => run(actionContext(c, deps), revokeAlertSource, { id: c.req.param("id") }));
    if (!result.ok) return screen(c, { refusal: result.refusal }, result.status);
    return done(c, "/admin/alerts", "source-revoked");
  });
}
