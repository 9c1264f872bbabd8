import { defineAction, type Outcome } from "../../actions/define.ts";
import { HeraldError } from "../../actions/errors.ts";
import { endedSubscriptionChanges, planSunset } from "./plan-sunset.ts";
import { componentStageRequest } from "./schemas.ts";
import { loadSunsetState } from "./sunset-state.ts";
import { type RetiringComponent, retiringComponent } from "./view.ts";

/**
 * Sunsets a deprecated component now, before its date (the scheduler does it on the date). Only a
 * deprecated one: its subscribers were told first, and the page showed the notice.
 */
export const sunsetComponent = defineAction({
  name: "component.sunset",
  role: "commander",
  doing: "sunset components",
  input: componentStageRequest,
  conflict: "The component changed stage while you were sunsetting it; look again.",
  load: (ctx, { id }) => loadSunsetState(ctx.db, id, true),
  plan(state, _input, { now, actor }): Outcome<RetiringComponent> {
    const { component } = state;
    if (component.stage !== "deprecated") {
      throw new HeraldError(
        "conflict",
        component.stage === "sunset"
          ? `${component.name} is already sunset.`
          : `${component.name} is ${component.stage}: deprecate it first, so its subscribers are told before it leaves the page.`,
      );
    }
    const move = planSunset(state, now, actor);
    return { changes: [move, ...endedSubscriptionChanges(state)], result: retiringComponent(move.row) };
  },
});
