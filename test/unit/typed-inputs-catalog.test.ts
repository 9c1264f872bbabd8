import { describe, expect, it } from "vitest";
import { createComponentFromForm } from "../../api/console/component-form.ts";
import { updateComponentRoute } from "../../api/routes/components.ts";
import { updatePageSettingsRoute } from "../../api/routes/page.ts";
import { createTokenRoute } from "../../api/routes/tokens.ts";
import type { Api } from "../../cli/api-client.ts";
import type { ActionContext } from "../../core/actions/context.ts";
import type { InputOf } from "../../core/actions/define.ts";
import { run } from "../../core/actions/run.ts";
import type { createComponent } from "../../core/components/create-component.ts";
import { retryJob } from "../../core/jobs/retry-job.ts";
import { editTemplate } from "../../core/templates/edit-template.ts";
import { createToken } from "../../core/tokens/create-token.ts";

/**
 * Compile-time proofs (`npx tsc --noEmit` checks them): a misspelt field of a components, page,
 * templates, tokens or jobs action is an error wherever the action is called from.
 */

// A console form reader answers with the action's input: a field it misspells does not compile.
function misspeltFormReader(): InputOf<typeof createComponent> {
  return {
    name: "API",
    // @ts-expect-error: `descripton` is not a field of component.create
    descripton: "REST",
  };
}

// The CLI calls a route with its operation's typed input.
async function misspeltCliCalls(api: Api): Promise<void> {
  // @ts-expect-error: `stauts` is not a field of component.update
  await api.run(updateComponentRoute, { id: "abc", stauts: "major_outage" });
  // @ts-expect-error: `role` is required by token.create
  await api.run(createTokenRoute, { name: "bot" });
  // @ts-expect-error: `time_zon` is not a page setting
  await api.run(updatePageSettingsRoute, { time_zon: "Europe/Berlin" });
}

// Core, the scheduler and tests call an action through `run` with its typed input.
async function misspeltRuns(ctx: ActionContext): Promise<void> {
  // @ts-expect-error: `rol` is not a field of token.create
  await run(ctx, createToken, { name: "bot", role: "viewer", rol: "admin" });
  // @ts-expect-error: `job_id` is not a field of job.retry
  await run(ctx, retryJob, { job_id: "abc" });
  // @ts-expect-error: `titel` is not a field of template.edit
  await run(ctx, editTemplate, { id: "db-failover", titel: "Failover" });
}

describe("typed inputs of the components, page, templates, tokens and jobs actions", () => {
  it("the proofs above are compiled (never run)", () => {
    expect([misspeltFormReader, misspeltCliCalls, misspeltRuns]).toHaveLength(3);
  });

  it("a console form reader gives the action's field names", () => {
    expect(createComponentFromForm({ name: "API", description: "REST\r\nv2", group: "on" })).toEqual({
      name: "API",
      description: "REST\nv2",
      group: true,
    });
  });
});
