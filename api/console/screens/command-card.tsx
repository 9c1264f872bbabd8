/** @jsxImportSource hono/jsx */

import type { RunningEscalation } from "../../../core/escalation/incident-command.ts";
import type { Told } from "../../../core/escalation/told-already.ts";
import { formatMinutes } from "../../../core/presentation/time.ts";
import { PostForm, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Time } from "../ui/time.tsx";
import type { IncidentScreenProps } from "./incident-props.ts";

/** "Acknowledge, posting in N minutes": the choices, shortest first. */
export const ACKNOWLEDGE_MINUTES = [5, 10, 15, 30] as const;

/** How soon before a promise lapses the screen offers to acknowledge it. */
const ACKNOWLEDGE_AHEAD_MS = 5 * 60_000;

function levelName(level: number): string {
  return level === 0 ? "commander" : `level ${level}`;
}

/** "Ann (commander), oncall@acme.test (level 1)". */
export function toldText(told: readonly Told[]): string {
  return told.map((t) => `${t.who} (${levelName(t.level)})`).join(", ");
}

/** A lapsed promise being escalated: how late, who was told, what comes next (text and colour, never colour alone). */
export function EscalationBanner(props: { escalation: RunningEscalation }) {
  const { escalation } = props;
  return (
    <section class="banner tone-critical gap-top" aria-labelledby="escalation-h" id="escalation">
      <span class="ico">
        <Icon name="alert" size={22} />
      </span>
      <div class="grow">
        <h2 id="escalation-h">{`Escalating: the promised update is late by ${formatMinutes(escalation.lateMinutes)}`}</h2>
        <p>
          {escalation.told.length > 0
            ? `Told: ${toldText(escalation.told)}.`
            : `Told so far: up to ${levelName(escalation.level)}.`}
        </p>
        <p class="meta">
          {escalation.next ? (
            <>
              {`Next: ${levelName(escalation.next.level)} at `}
              <Time at={escalation.next.at} />
              {", unless an update is posted or the promise acknowledged."}
            </>
          ) : (
            "Every level has been told. Post an update or acknowledge to stop the escalation."
          )}
        </p>
      </div>
    </section>
  );
}

function Acknowledge(props: IncidentScreenProps) {
  const active = props.active?.form === "acknowledge" ? props.active : undefined;
  const chosen = active?.values.minutes ?? "15";
  return (
    <div class="card-sub" id="acknowledge">
      <h3>Acknowledge</h3>
      <p class="meta">Moves "Next update by" on the public page and stops the escalation.</p>
      <RefusalSummary refusal={active?.refusal} />
      <PostForm
        action={`/admin/incidents/${props.view.id}/acknowledge`}
        csrf={props.session.csrfToken}
        label="Acknowledge the promise"
      >
        <label for="ack-minutes">Acknowledge — posting in</label>
        <div class="row">
          <select id="ack-minutes" name="minutes">
            {ACKNOWLEDGE_MINUTES.map((m) => (
              <option value={String(m)} selected={chosen === String(m)}>
                {`${m} minutes`}
              </option>
            ))}
          </select>
          <button class="btn btn-primary" type="submit">
            Acknowledge
          </button>
        </div>
      </PostForm>
    </div>
  );
}

/** Whether the promise has lapsed or lapses within a few minutes: the moment to acknowledge it. */
function lapsing(props: IncidentScreenProps): boolean {
  const due = props.view.nextUpdateDueAt;
  return due !== null && Date.parse(due) - props.now.getTime() <= ACKNOWLEDGE_AHEAD_MS;
}

/** The Incident Commander: who it is, "Take command", "Hand over" in one click, and the acknowledgement. */
export function CommandCard(props: IncidentScreenProps) {
  const { command, session, view } = props;
  const open = view.resolvedAt === null;
  const canChange = session.actor.role !== "viewer";
  const me = session.actor.kind === "person" ? session.actor.id : null;
  const active = props.active?.form === "command" ? props.active : undefined;
  const others = command.candidates.filter((p) => p.id !== command.commander?.id);
  return (
    <section class="card" aria-labelledby="command-h" id="command">
      <div class="card-h">
        <h2 id="command-h">Incident Commander</h2>
      </div>
      <div class="card-b">
        <p>
          {command.commander ? (
            <>
              <strong>{command.commander.name}</strong>
              {command.commander.removed ? " (no longer on the team)" : ""}
              {command.commander.id === me ? " · you" : ""}
            </>
          ) : (
            <span class="pill">No commander</span>
          )}
        </p>
        <RefusalSummary refusal={active?.refusal} />
        {canChange && open && me && command.commander?.id !== me && command.candidates.some((p) => p.id === me) && (
          <PostForm action={`/admin/incidents/${view.id}/commander`} csrf={session.csrfToken} label="Take command">
            <input type="hidden" name="person_id" value={me} />
            <button class={`btn${command.commander ? "" : " btn-primary"}`} type="submit">
              Take command
            </button>
          </PostForm>
        )}
        {canChange && open && others.length > 0 && (
          <PostForm
            action={`/admin/incidents/${view.id}/commander`}
            csrf={session.csrfToken}
            label="Hand over"
            class="spaced"
          >
            <label for="hand-over-to">Hand over to</label>
            <div class="row">
              <select id="hand-over-to" name="person_id">
                {others.map((p) => (
                  <option value={p.id} selected={active?.values.person_id === p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <button class="btn" type="submit">
                Hand over
              </button>
            </div>
          </PostForm>
        )}
        {!open && <p class="meta">A closed incident keeps its commander; reopen it to hand it over.</p>}
      </div>
      {canChange && open && view.kind === "incident" && lapsing(props) && <Acknowledge {...props} />}
    </section>
  );
}
