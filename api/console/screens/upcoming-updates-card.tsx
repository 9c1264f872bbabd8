/** @jsxImportSource hono/jsx */

import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ScheduledUpdateView } from "../../../core/incidents/scheduled-updates.ts";
import type { ScheduledOpeningView } from "../../../core/incidents/stored-openings.ts";
import { errorsFor, Field, PostForm, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { UpdateStatusBadge } from "../ui/status.tsx";
import { Time, toLocalInput } from "../ui/time.tsx";

import { activeFor, CancelScheduledButton, type ScheduleActive, UTC_NOTE } from "./scheduled-updates.tsx";

export function UpcomingUpdatesCard(props: {
  updates: ScheduledUpdateView[];
  openings: ScheduledOpeningView[];
  incidentNames: Map<string, string>;
  session: ConsoleSession;
  active: ScheduleActive;
}) {
  const canChange = props.session.actor.role !== "viewer";
  const items = [
    ...props.openings.map((o) => ({ at: o.publish_at, opening: o })),
    ...props.updates.map((u) => ({ at: u.publish_at, update: u })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section class="card" aria-labelledby="upcoming-h">
      <div class="card-h">
        <h2 id="upcoming-h">Scheduled updates</h2>
        <p>{`${items.length} waiting`}</p>
      </div>
      {items.length === 0 ? (
        <p class="empty">No timed updates or incidents waiting.</p>
      ) : (
        <ul class="list">
          {items.map((item) =>
            "opening" in item ? (
              <ScheduledOpeningItem
                opening={item.opening}
                session={props.session}
                canChange={canChange}
                active={activeFor(props.active, `opening:${item.opening.id}`)}
              />
            ) : (
              <li>
                <div class="row">
                  <div class="grow">
                    <a
                      class="title-link"
                      href={`/admin/incidents/${item.update.incident_id}#scheduled-${item.update.id}`}
                    >
                      {props.incidentNames.get(item.update.incident_id) ?? item.update.incident_id}
                    </a>
                    <div class="meta">
                      Publishes <Time at={item.update.publish_at} />
                    </div>
                  </div>
                  <UpdateStatusBadge status={item.update.status} />
                  {canChange && (
                    <>
                      <a
                        class="btn btn-small"
                        href={`/admin/incidents/${item.update.incident_id}#scheduled-${item.update.id}`}
                      >
                        Edit
                      </a>
                      <CancelScheduledButton update={item.update} session={props.session} back="/admin" />
                    </>
                  )}
                </div>
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}

/** An incident to be opened at a time: what it will say, when, and (for a commander) move or cancel it. */
function ScheduledOpeningItem(props: {
  opening: ScheduledOpeningView;
  session: ConsoleSession;
  canChange: boolean;
  active: ScheduleActive;
}) {
  const { opening, active } = props;
  const was = toLocalInput(opening.publish_at);
  const refusal = active?.refusal;
  return (
    <li id={`opening-${opening.id}`}>
      <div class="row">
        <div class="grow">
          <span class="title-link">{opening.name}</span>
          <span class="pill">
            <Icon name="plus" size={12} /> New incident
          </span>
          <div class="meta">
            <Icon name="clock" size={14} /> Opens <Time at={opening.publish_at} />
            {opening.created_by ? ` · by ${opening.created_by}` : ""}
          </div>
        </div>
        <UpdateStatusBadge status={opening.status} />
        {props.canChange && (
          <PostForm
            action={`/admin/scheduled-openings/${opening.id}/cancel`}
            csrf={props.session.csrfToken}
            class="inline"
            confirm="Cancel this incident? It will not be opened."
            label="Cancel scheduled incident"
            ask="Cancel…"
          >
            <button class="btn btn-small btn-danger" type="submit">
              Yes, cancel it
            </button>
          </PostForm>
        )}
      </div>
      {opening.failure && (
        <p class="error" role="alert">
          {`Not opened: ${opening.failure} Move it to a new time to try again, or cancel it.`}
        </p>
      )}
      <div class="prose spaced" dangerouslySetInnerHTML={{ __html: opening.body_html }} />
      {props.canChange && (
        <details class="spaced" open={active !== undefined || opening.failure !== null}>
          <summary>Move</summary>
          <RefusalSummary refusal={refusal} />
          <PostForm
            action={`/admin/scheduled-openings/${opening.id}`}
            csrf={props.session.csrfToken}
            label="Move scheduled incident"
          >
            <div class="field-row">
              <Field
                id={`opening-at-${opening.id}`}
                label="Open at (UTC)"
                help={UTC_NOTE}
                errors={errorsFor(refusal, "publish_at")}
              >
                {(aria) => (
                  <input {...aria} type="datetime-local" name="publish_at" value={active?.values.publish_at ?? was} />
                )}
              </Field>
            </div>
            <div class="actions">
              <button class="btn btn-primary" type="submit">
                Save time
              </button>
            </div>
          </PostForm>
        </details>
      )}
    </li>
  );
}
