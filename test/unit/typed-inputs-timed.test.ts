import { describe, expect, it } from "vitest";
import { postUpdateRoute } from "../../api/routes/scheduled.ts";
import type { Api } from "../../cli/api-client.ts";
import type { ActionContext } from "../../core/actions/context.ts";
import type { InputOf } from "../../core/actions/define.ts";
import { run } from "../../core/actions/run.ts";
import type { editScheduledUpdate } from "../../core/incidents/edit-scheduled-update.ts";
import { postUpdate } from "../../core/incidents/post-update.ts";
import { rescheduleOpening } from "../../core/incidents/reschedule-opening.ts";

// Never called: `npx tsc --noEmit` checks these lines; each `@ts-expect-error` proves a misspelt field does not compile.
function misspeltFields(ctx: ActionContext, api: Api) {
  const form: InputOf<typeof editScheduledUpdate> = {
    updateId: "u",
    // @ts-expect-error a console form reader's misspelt field
    publishAt: "2026-11-26T12:00:00Z",
  };
  // @ts-expect-error the CLI's call of a route with a misspelt field
  void api.run(postUpdateRoute, { id: "i", bodyy: "Fixed." });
  // @ts-expect-error a typed run with a misspelt field
  void run(ctx, rescheduleOpening, { openingId: "o", publish: "2026-11-26T12:00:00Z" });
  // The result is a tagged union: reading one case's field needs the tag.
  void run(ctx, postUpdate, { id: "i", body: "Fixed." }).then((result) =>
    result.outcome === "posted" ? result.incident.id : result.update.publish_at,
  );
  return form;
}

describe("the timed actions' typed inputs", () => {
  it("are checked at compile time (see the @ts-expect-error lines)", () => {
    expect(typeof misspeltFields).toBe("function");
  });
});
