/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import { listIncidents } from "../../../core/incidents/load-incidents.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { incidentView } from "../../../core/public/site-views.ts";
import { render } from "../render.ts";
import { IncidentListScreen, LIST_PAGE_SIZE } from "../screens/incident-lists.tsx";
import type { ConsoleDeps, ConsoleEnv } from "../session.ts";

/** The incident and maintenance lists: open ones first (a maintenance's by its start), then past ones a page at a time. */
export function incidentListRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const list = async (c: Context<ConsoleEnv>, kind: "incident" | "maintenance") => {
    const page = Math.min(Math.max(Number.parseInt(c.req.query("page") ?? "1", 10) || 1, 1), 10_000);
    const [pageRow, open, past] = await Promise.all([
      getPage(deps.db),
      page === 1 ? listIncidents(deps.db, { kind, open: true, latestUpdateOnly: true }) : Promise.resolve([]),
      listIncidents(deps.db, {
        kind,
        closed: true,
        limit: LIST_PAGE_SIZE + 1,
        offset: (page - 1) * LIST_PAGE_SIZE,
        latestUpdateOnly: true,
      }),
    ]);
    const byStart = (a: { scheduledFor: string | null; startedAt: string }, b: typeof a) =>
      (a.scheduledFor ?? a.startedAt).localeCompare(b.scheduledFor ?? b.startedAt);
    return render(
      c,
      <IncidentListScreen
        kind={kind}
        session={c.get("session")}
        pageName={pageRow.name}
        open={(kind === "maintenance" ? [...open].sort(byStart) : open).map(incidentView)}
        past={past.slice(0, LIST_PAGE_SIZE).map(incidentView)}
        page={page}
        hasMore={past.length > LIST_PAGE_SIZE}
        now={deps.clock.now()}
        done={c.req.query("done")}
      />,
    );
  };
  app.get("/incidents", (c) => list(c, "incident"));
  app.get("/maintenance", (c) => list(c, "maintenance"));
}
