import { describe, expect, it } from "vitest";
import { getIncidentRoute, reopenIncidentRoute } from "../../api/routes/incidents.ts";
import type { Api } from "../../cli/api-client.ts";
import type { InputOf } from "../../core/actions/define.ts";
import type { run } from "../../core/actions/run.ts";
import type { editUpdate } from "../../core/incidents/edit-update.ts";
import type { reopenIncident } from "../../core/incidents/reopen-incident.ts";
import type { rescheduleMaintenance } from "../../core/incidents/reschedule-maintenance.ts";
import type { writePostmortem } from "../../core/incidents/write-postmortem.ts";

/**
 * The incident and maintenance actions' inputs are typed where they are written: a console form reader,
 * a CLI `api.run` call and a `run(ctx, action, …)` call with a misspelt field do not compile (`npx tsc
 * --noEmit` checks this file; the `@ts-expect-error` lines fail it when the error goes away).
 */
describe("typed inputs of the incident and maintenance actions", () => {
  it("refuses a misspelt field at compile time", () => {
    // A console form reader's answer.
    const reopen: InputOf<typeof reopenIncident> = { id: "x", status: "investigating", body: "Back." };
    // @ts-expect-error `notify` is not a field of a reopening (it is `deliver_notifications`)
    const misspeltForm: InputOf<typeof reopenIncident> = { id: "x", status: "investigating", body: "", notify: true };
    // @ts-expect-error `bodyy` is not a field of a postmortem
    const misspeltPostmortem: InputOf<typeof writePostmortem> = { id: "x", bodyy: "## What happened" };

    // A `run(ctx, action, …)` call.
    type EditInput = Parameters<typeof run<typeof editUpdate>>[2];
    const edit: EditInput = { id: "x", updateId: "y", body: "Corrected." };
    // @ts-expect-error `update_id` is not the edit's field (the path's `{updateId}` is)
    const misspeltEdit: EditInput = { id: "x", update_id: "y", body: "Corrected." };
    // @ts-expect-error `scheduled_from` is not a field of a reschedule
    const misspeltWindow: InputOf<typeof rescheduleMaintenance> = { id: "x", scheduled_from: "now" };

    // A CLI `api.run` call.
    const cliCall = (api: Api) => {
      void api.run(getIncidentRoute, { id: "x" });
      // @ts-expect-error `incident` is not the field the path names (`id` is)
      void api.run(getIncidentRoute, { incident: "x" });
      // @ts-expect-error `reason` is not a field of a reopening
      void api.run(reopenIncidentRoute, { id: "x", status: "investigating", body: "Back.", reason: "" });
    };

    expect([reopen, misspeltForm, misspeltPostmortem, edit, misspeltEdit, misspeltWindow, cliCall]).toHaveLength(7);
  });
});
