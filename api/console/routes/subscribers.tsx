/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ActionContext } from "../../../core/actions/context.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { eraseSubscriber } from "../../../core/subscribers/admin/erase-subscriber.ts";
import { exportSubscribers } from "../../../core/subscribers/admin/export-subscribers.ts";
import { type ImportReport, importSubscribers } from "../../../core/subscribers/admin/import-subscribers.ts";
import { countSubscribers, listSubscribers } from "../../../core/subscribers/admin/list-subscribers.ts";
import { quarantineSubscriber, unquarantineSubscriber } from "../../../core/subscribers/admin/quarantine-subscriber.ts";
import { SUBSCRIBER_CHANNELS, SUBSCRIBER_STATES } from "../../../core/subscribers/admin/schemas.ts";
import { editWebhook } from "../../../core/webhooks/edit-webhook.ts";
import { attempt, done, render } from "../render.ts";
import { type SubscriberFilterValues, SubscribersScreen } from "../screens/subscribers.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import type { Refusal } from "../ui/form.tsx";

const PAGE_SIZE = 50;

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return values.find((v) => v === value);
}

/** The subscribers screen with the filter its links carry (URL-encoded), and nothing else. */
const SUBSCRIBERS_SCREEN = /^\/admin\/subscribers(\?[A-Za-z0-9*._~%+=&-]*)?$/;

/** Back to the list the action was taken from; read before acting, so a bad `back` cannot fail a saved change. */
function backTo(path: string | undefined): string {
  return path !== undefined && SUBSCRIBERS_SCREEN.test(path) ? path : "/admin/subscribers";
}

export function subscriberRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (
    c: Context<ConsoleEnv>,
    extra: { refusal?: Refusal; imported?: ImportReport; csv?: string } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const ctx = actionContext(c, deps);
    const filter: SubscriberFilterValues = {
      q: (c.req.query("q") ?? "").slice(0, 254),
      state: oneOf(SUBSCRIBER_STATES, c.req.query("state")) ?? "",
      channel: oneOf(SUBSCRIBER_CHANNELS, c.req.query("channel")) ?? "",
    };
    const query = {
      search: filter.q || undefined,
      state: oneOf(SUBSCRIBER_STATES, filter.state),
      channel: oneOf(SUBSCRIBER_CHANNELS, filter.channel),
    };
    const [page, counts, rows] = await Promise.all([
      getPage(deps.db),
      countSubscribers(ctx, query),
      listSubscribers(ctx, { ...query, limit: PAGE_SIZE + 1, after: c.req.query("after") || undefined }),
    ]);
    const shown = rows.slice(0, PAGE_SIZE);
    return render(
      c,
      <SubscribersScreen
        session={c.get("session")}
        pageName={page.name}
        counts={counts}
        subscribers={shown}
        nextAfter={rows.length > PAGE_SIZE ? (shown[shown.length - 1]?.id ?? null) : null}
        filter={filter}
        done={c.req.query("done")}
        {...extra}
      />,
      status,
    );
  };
  app.get("/subscribers", (c) => screen(c));

  app.get("/subscribers/export", (c) =>
    c.body(exportSubscribers(actionContext(c, deps)), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="subscribers.csv"',
    }),
  );

  app.post("/subscribers/import", async (c) => {
    const form = c.get("form");
    const csv = form.file?.trim() ? form.file : (form.csv ?? "");
    const result = await attempt(() => importSubscribers(actionContext(c, deps), { csv }));
    if (!result.ok) return screen(c, { refusal: result.refusal, csv: form.csv ?? "" }, result.status);
    return screen(c, { imported: result.value });
  });

  const act = (path: string, action: (ctx: ActionContext, id: string) => Promise<unknown>, what: string) =>
    app.post(path, async (c) => {
      const back = backTo(c.get("form").back);
      const result = await attempt(() => action(actionContext(c, deps), c.req.param("id") ?? ""));
      if (!result.ok) return screen(c, { refusal: result.refusal }, result.status);
      return done(c, back, what);
    });
  act("/subscribers/:id/quarantine", quarantineSubscriber, "quarantined");
  act("/subscribers/:id/unquarantine", unquarantineSubscriber, "unquarantined");
  act("/subscribers/:id/erase", eraseSubscriber, "erased");
  act("/subscribers/:id/mark-team", (ctx, id) => editWebhook(ctx, id, { team: true }), "team-marked");
  act("/subscribers/:id/unmark-team", (ctx, id) => editWebhook(ctx, id, { team: false }), "team-unmarked");
}
