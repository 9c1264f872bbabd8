/** @jsxImportSource hono/jsx */
import type { IncidentView } from "../../../core/public/site-views.ts";
import { ImpactBadge, UpdateStatusBadge } from "./status.tsx";
import { Countdown, Time } from "./time.tsx";

/** Incidents or maintenances as a list: name, status, impact, and the promised next update. */
export function IncidentList(props: { incidents: IncidentView[]; now: Date; empty: string }) {
  if (props.incidents.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <ul class="list">
      {props.incidents.map((i) => (
        <li>
          <div class="row">
            <div class="grow">
              <a class="title-link" href={`/admin/incidents/${i.id}`}>
                {i.name}
              </a>
              <div class="meta">
                {i.kind === "maintenance" && i.scheduledFor ? (
                  <>
                    <Time at={i.scheduledFor} />
                    {i.scheduledUntil && (
                      <>
                        {" – "}
                        <Time at={i.scheduledUntil} />
                      </>
                    )}
                  </>
                ) : (
                  <>
                    {i.resolvedAt ? "Resolved " : "Started "}
                    <Time at={i.resolvedAt ?? i.startedAt} />
                  </>
                )}
              </div>
            </div>
            <UpdateStatusBadge status={i.status} />
            {i.kind === "incident" && <ImpactBadge impact={i.impact} />}
          </div>
          {i.nextUpdateDueAt && !i.resolvedAt && (
            <div class="row spaced">
              <Countdown dueAt={i.nextUpdateDueAt} now={props.now} />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
