/** @jsxImportSource hono/jsx */
import type { IncidentCommand } from "../../../core/escalation/incident-command.ts";
import type { IncidentView } from "../../../core/public/site-views.ts";
import { Icon } from "./icons.tsx";
import { ImpactBadge, UpdateStatusBadge } from "./status.tsx";
import { Countdown, Time } from "./time.tsx";

/** Who commands an incident, and whether its lapsed promise is escalating: in words, the colour only adds. */
function CommandLine(props: { command: IncidentCommand | undefined }) {
  if (!props.command) return null;
  const { commander, escalation } = props.command;
  return (
    <div class="row spaced">
      {commander ? <span class="meta">{`Commander: ${commander.name}`}</span> : <span class="pill">No commander</span>}
      {escalation && (
        <span class="pill escalated">
          <Icon name="alert" size={12} />
          {`Escalated · ${escalation.level === 0 ? "commander" : `level ${escalation.level}`} told`}
        </span>
      )}
    </div>
  );
}

/**
 * Incidents or maintenances as a list: name, status, impact, and the promised next update; with `commands`,
 * each incident's commander and escalation too.
 */
export function IncidentList(props: {
  incidents: IncidentView[];
  now: Date;
  empty: string;
  commands?: Map<string, IncidentCommand>;
}) {
  if (props.incidents.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <ul class="list">
      {props.incidents.map((i) => (
        <li class={props.commands?.get(i.id)?.escalation ? "escalated" : undefined}>
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
          {i.kind === "incident" && <CommandLine command={props.commands?.get(i.id)} />}
        </li>
      ))}
    </ul>
  );
}
