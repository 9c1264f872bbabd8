import { defineAction, type Outcome } from "../../actions/define.ts";
import { HeraldError, invalid } from "../../actions/errors.ts";
import { componentsOfEvent } from "../../notifications/events-from-changes.ts";
import { notificationStatements } from "../../notifications/queue-event.ts";
import { sunsetEventId } from "./event-ids.ts";
import { deprecateComponentRequest } from "./schemas.ts";
import { stageMove } from "./stage-move.ts";
import { loadSunsetState } from "./sunset-state.ts";
import { type RetiringComponent, retiringComponent } from "./view.ts";

const FROM = ["prototype", "development", "production"];

/**
 * Deprecates a component: the page shows its notice and sunset date from now on, and subscribers whose
 * subscription names it (or its group) are told (`component.deprecated`). The scheduler reminds them
 * before the date and sunsets it on the date (sunset-tick.ts).
 */
export const deprecateComponent = defineAction({
  name: "component.deprecate",
  role: "commander",
  doing: "deprecate components",
  input: deprecateComponentRequest,
  conflict: "The component changed stage while you were deprecating it; look again.",
  load: (ctx, { id }) => loadSunsetState(ctx.db, id),
  plan(state, input, { now, actor }): Outcome<RetiringComponent> {
    const { component } = state;
    if (!FROM.includes(component.stage)) {
      throw new HeraldError(
        "conflict",
        component.stage === "deprecated"
          ? `${component.name} is already deprecated: undeprecate it first to change its date or message.`
          : `${component.name} is sunset: it has left the page.`,
      );
    }
    const sunsetAt = new Date(input.sunset_at);
    if (sunsetAt <= now) {
      throw invalid("The sunset date must be in the future.", [
        { path: "sunset_at", message: "must be in the future" },
      ]);
    }
    const at = now.toISOString();
    const fields = {
      stage: "deprecated" as const,
      sunsetAt: sunsetAt.toISOString(),
      deprecationMessage: input.message,
      deprecatedAt: at,
    };
    const event = notificationStatements(state.db, {
      kind: "component.deprecated",
      id: sunsetEventId("deprecated", { id: component.id, sunsetAt: fields.sunsetAt }),
      at,
      componentIds: componentsOfEvent({ componentIds: [component.id] }, state.components),
    });
    const move = stageMove(state, fields, {
      by: actor,
      at,
      reason: input.message,
      extra: event.statements,
      details: { sunset_at: fields.sunsetAt },
    });
    return { changes: [{ ...move, jobs: event.jobs }], result: retiringComponent(move.row) };
  },
});
