/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import { readDrafts } from "../../../core/alerts/drafts/read-drafts.ts";
import { listComponents } from "../../../core/components/load-components.ts";
import { updateComponent } from "../../../core/components/update-component.ts";
import { incidentCommands } from "../../../core/escalation/incident-command.ts";
import { readEscalationLevels } from "../../../core/escalation/policy.ts";
import { cancelScheduledOpening } from "../../../core/incidents/cancel-scheduled-opening.ts";
import { listIncidents } from "../../../core/incidents/load-incidents.ts";
import { rescheduleOpening } from "../../../core/incidents/reschedule-opening.ts";
import { readScheduledUpdates } from "../../../core/incidents/scheduled-updates.ts";
import { readScheduledOpenings } from "../../../core/incidents/stored-openings.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { indicatorLook } from "../../../core/presentation/status.ts";
import { incidentView } from "../../../core/public/site-views.ts";
import { pageStatus } from "../../../core/public/statuspage.ts";
import { utcFromInput } from "../incident-form.ts";
import { attempt, done, render } from "../render.ts";
import type { ScheduleActive } from "../screens/scheduled-updates.tsx";
import { UpcomingUpdatesCard } from "../screens/upcoming-updates-card.tsx";
import { WaitingDraftsCard } from "../screens/waiting-drafts.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { ComponentBoard } from "../ui/board.tsx";
import { type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { IncidentList } from "../ui/incident-list.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { toneIcon } from "../ui/status.tsx";

/** Where a one-click status change returns to: only console screens. */
function backTo(path: string | undefined): string {
  return path === "/admin/components" ? path : "/admin";
}

export function dashboardRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (
    c: Context<ConsoleEnv>,
    refusal?: Refusal,
    status: ContentfulStatusCode = 200,
    active?: ScheduleActive,
  ) => {
    const session = c.get("session");
    const [page, components, open, scheduled, openings, drafts] = await Promise.all([
      getPage(deps.db),
      listComponents(deps.db),
      listIncidents(deps.db, { open: true }),
      readScheduledUpdates(deps.db),
      readScheduledOpenings(deps.db),
      readDrafts(deps.db, "waiting"),
    ]);
    const now = deps.clock.now();
    const overall = pageStatus(components, open);
    const { tone } = indicatorLook(overall.indicator);
    const icon = toneIcon(tone);
    const incidents = open.filter((i) => i.kind === "incident").map(incidentView);
    const maintenances = open
      .filter((i) => i.kind === "maintenance")
      .map(incidentView)
      .sort((a, b) => (a.scheduledFor ?? a.startedAt).localeCompare(b.scheduledFor ?? b.startedAt));
    const canChange = session.actor.role !== "viewer";
    const commands = await incidentCommands(
      deps.db,
      open.filter((i) => i.kind === "incident"),
      await readEscalationLevels(deps.db),
      now,
    );
    return render(
      c,
      <Layout title="Dashboard" section="dashboard" session={session} pageName={page.name}>
        <PageHead
          title="Dashboard"
          lead="What your status page says right now, and what needs you."
          actions={
            canChange && (
              <>
                <a class="btn" href="/admin/maintenance/new">
                  <Icon name="calendar" /> Schedule maintenance
                </a>
                <a class="btn btn-primary" href="/admin/incidents/new">
                  <Icon name="plus" /> Open incident
                </a>
              </>
            )
          }
        />
        <Notice done={c.req.query("done")} />
        <RefusalSummary refusal={refusal} />
        <div class="grid">
          <WaitingDraftsCard drafts={drafts} components={components} canPublish={canChange} />
          <section class={`banner tone-${tone}`} aria-labelledby="overall-h">
            <span class="ico">
              <Icon name={icon} size={22} />
            </span>
            <div class="grow">
              <h2 class="big" id="overall-h">
                {overall.description}
              </h2>
              <p class="meta">
                As the public page says it ·{" "}
                <a href={page.url} rel="noopener">
                  View status page
                </a>
              </p>
            </div>
          </section>
          <div class="cols">
            <div class="grid">
              <section class="card" aria-labelledby="open-h">
                <div class="card-h">
                  <h2 id="open-h">Open incidents</h2>
                  <p>{`${incidents.length} open`}</p>
                </div>
                <IncidentList
                  incidents={incidents}
                  now={now}
                  empty="No open incidents. All quiet."
                  commands={commands}
                />
              </section>
              <UpcomingUpdatesCard
                updates={scheduled}
                openings={openings}
                incidentNames={new Map(open.map((i) => [i.id, i.name]))}
                session={session}
                active={active}
              />
            </div>
            <section class="card" aria-labelledby="maint-h">
              <div class="card-h">
                <h2 id="maint-h">Maintenance</h2>
                <p>Active and upcoming</p>
              </div>
              <IncidentList incidents={maintenances} now={now} empty="No maintenance scheduled." />
            </section>
          </div>
          <section class="card" aria-labelledby="board-h">
            <div class="card-h">
              <h2 id="board-h">Components</h2>
              <p>{canChange ? "One click sets a status" : "Current statuses"}</p>
            </div>
            <ComponentBoard components={components} session={session} back="/admin" />
          </section>
        </div>
      </Layout>,
      status,
    );
  };

  app.get("/", (c) => screen(c));

  app.post("/scheduled-openings/:id", async (c) => {
    const id = c.req.param("id");
    const form = c.get("form");
    const result = await attempt(() =>
      run(actionContext(c, deps), rescheduleOpening, {
        openingId: id,
        publish_at: utcFromInput(form.publish_at ?? ""),
      }),
    );
    if (!result.ok)
      return screen(c, undefined, result.status, { form: `opening:${id}`, values: form, refusal: result.refusal });
    return done(c, "/admin", "opening-moved");
  });

  app.post("/scheduled-openings/:id/cancel", async (c) => {
    const result = await attempt(() =>
      run(actionContext(c, deps), cancelScheduledOpening, { openingId: c.req.param("id") }),
    );
    if (!result.ok) return screen(c, result.refusal, result.status);
    return done(c, "/admin", "opening-cancelled");
  });

  app.post("/components/:id/status", async (c) => {
    const form = c.get("form");
    const result = await attempt(() =>
      run(actionContext(c, deps), updateComponent, { id: c.req.param("id"), status: form.status ?? "" }),
    );
    if (!result.ok) return screen(c, result.refusal, result.status);
    return done(c, backTo(form.back), "component");
  });
}
