import { defineAction, type Outcome } from "../../actions/define.ts";
import { HeraldError } from "../../actions/errors.ts";
import { componentStageRequest } from "./schemas.ts";
import { stageMove } from "./stage-move.ts";
import { loadSunsetState } from "./sunset-state.ts";
import { type RetiringComponent, retiringComponent } from "./view.ts";

/**
 * Takes a deprecation back: the component returns to production, its notice leaves the page and no
 * reminder or sunset follows. Audited; nobody is mailed (docs/inventory.md, Sunsetting).
 */
export const undeprecateComponent = defineAction({
  name: "component.undeprecate",
  role: "commander",
  doing: "undeprecate components",
  input: componentStageRequest,
  conflict: "The component changed stage while you were undeprecating it; look again.",
  load: (ctx, { id }) => loadSunsetState(ctx.db, id),
  plan(state, _input, { now, actor }): Outcome<RetiringComponent> {
    const { component } = state;
    if (component.stage !== "deprecated") {
      throw new HeraldError("conflict", `${component.name} is not deprecated (it is ${component.stage}).`);
    }
    const move = stageMove(
      state,
      { stage: "production", sunsetAt: null, deprecationMessage: null, deprecatedAt: null },
      {
        by: actor,
        at: now.toISOString(),
        reason: null,
        extra: [],
        details: { sunset_at: component.sunsetAt },
      },
    );
    return { changes: [move], result: retiringComponent(move.row) };
  },
});
