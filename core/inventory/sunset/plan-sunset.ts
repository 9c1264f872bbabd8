import { inArray } from "drizzle-orm";
import { subscribers } from "../../../db/schema.ts";
import type { Actor } from "../../actions/context.ts";
import type { Change, Statement } from "../../changes/commit.ts";
import type { OutboxJob } from "../../changes/outbox.ts";
import type { ComponentRow } from "../../model/rows.ts";
import { componentsOfEvent } from "../../notifications/events-from-changes.ts";
import { notificationStatements } from "../../notifications/queue-event.ts";
import { subscriptionEndedEventId, sunsetEventId } from "./event-ids.ts";
import { stageMove } from "./stage-move.ts";
import type { SunsetState } from "./sunset-state.ts";

/** Why a subscription ended, in its audit line (the unsubscribe action's `via`). */
export const ENDED_BY_SUNSET = "component-sunset";

/**
 * Sunsets a deprecated component (by hand or on its date): it leaves the page, the v2 JSON and the
 * subscribe form; its own page and its incidents stay. Subscribers naming it are told
 * (`component.sunset`); each subscription that named only it ends in the same batch, with an audit line
 * saying why, and its active subscriber gets the last mail addressed to it, saying so.
 */
export function planSunset(state: SunsetState, now: Date, by: Actor): Change & { row: ComponentRow } {
  const { db, component } = state;
  const at = now.toISOString();
  // The events are named after the announced date, so a tick and a person sunsetting at once write them once.
  const announced = { id: component.id, sunsetAt: component.sunsetAt };
  const componentIds = componentsOfEvent({ componentIds: [component.id] }, state.components);
  const named = notificationStatements(db, {
    kind: "component.sunset",
    id: sunsetEventId("sunset", announced),
    at,
    componentIds,
  });
  const ending = state.endings.map((s) => s.id);
  const statements: Statement[] = [...named.statements];
  const jobs: OutboxJob[] = [...named.jobs];
  if (ending.length > 0) {
    statements.push(
      db
        .update(subscribers)
        .set({ state: "unsubscribed", unsubscribedAt: at, updatedAt: at })
        .where(inArray(subscribers.id, ending)),
    );
  }
  for (const subscriber of state.endings) {
    if (subscriber.state !== "active") continue;
    const last = notificationStatements(db, {
      kind: "component.sunset",
      id: subscriptionEndedEventId(announced, subscriber.id),
      at,
      subscriberId: subscriber.id,
      componentIds,
    });
    statements.push(...last.statements);
    jobs.push(...last.jobs);
  }
  const move = stageMove(
    state,
    { stage: "sunset", sunsetAt: at },
    {
      by,
      at,
      reason: null,
      extra: statements,
      details: { announced_sunset_at: component.sunsetAt, ended_subscriptions: ending.length },
    },
  );
  return { ...move, jobs };
}

/** The audit line of each ended subscription (what `subscriber.unsubscribed` writes, with why). */
export function endedSubscriptionChanges(state: SunsetState): Change[] {
  return state.endings.map((subscriber) => ({
    statements: [],
    audit: {
      action: "subscriber.unsubscribed",
      targetType: "subscriber",
      targetId: subscriber.id,
      details: { via: ENDED_BY_SUNSET, from: subscriber.state, component_id: state.component.id },
    },
    jobs: [],
  }));
}
