/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { IncidentView } from "../../../core/public/site-views.ts";
import { Icon } from "../ui/icons.tsx";
import { IncidentList } from "../ui/incident-list.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";

export const LIST_PAGE_SIZE = 25;

/** Incidents (or maintenances): what is open, then the history a page at a time. */
export function IncidentListScreen(props: {
  kind: "incident" | "maintenance";
  session: ConsoleSession;
  pageName: string;
  open: IncidentView[];
  past: IncidentView[];
  page: number;
  hasMore: boolean;
  now: Date;
  done?: string | undefined;
}) {
  const incident = props.kind === "incident";
  const base = incident ? "/admin/incidents" : "/admin/maintenance";
  const canChange = props.session.actor.role !== "viewer";
  return (
    <Layout
      title={incident ? "Incidents" : "Maintenance"}
      section={incident ? "incidents" : "maintenance"}
      session={props.session}
      pageName={props.pageName}
    >
      <PageHead
        title={incident ? "Incidents" : "Maintenance"}
        lead={incident ? "Open incidents first, then the history." : "Upcoming and in progress first, then completed."}
        actions={
          canChange && (
            <a class="btn btn-primary" href={`${base}/new`}>
              <Icon name="plus" /> {incident ? "Open incident" : "Schedule maintenance"}
            </a>
          )
        }
      />
      <Notice done={props.done} />
      <div class="grid">
        {props.page === 1 && (
          <section class="card" aria-labelledby="open-h">
            <div class="card-h">
              <h2 id="open-h">{incident ? "Open" : "Upcoming and in progress"}</h2>
              <p>{`${props.open.length}`}</p>
            </div>
            <IncidentList
              incidents={props.open}
              now={props.now}
              empty={incident ? "No open incidents." : "No maintenance scheduled."}
            />
          </section>
        )}
        <section class="card" aria-labelledby="past-h">
          <div class="card-h">
            <h2 id="past-h">{incident ? "Resolved" : "Completed"}</h2>
            <p>{`Page ${props.page}`}</p>
          </div>
          <IncidentList incidents={props.past} now={props.now} empty="Nothing here yet." />
        </section>
        <nav class="actions" aria-label="Pages">
          {props.page > 1 && (
            <a class="btn" href={`${base}?page=${props.page - 1}`}>
              Newer
            </a>
          )}
          {props.hasMore && (
            <a class="btn" href={`${base}?page=${props.page + 1}`}>
              Older
            </a>
          )}
        </nav>
      </div>
    </Layout>
  );
}
