import type { Hono } from "hono";
import type { ActionContext } from "../../../core/actions/context.ts";
import { run } from "../../../core/actions/run.ts";
import { cancelMaintenance } from "../../../core/incidents/cancel-maintenance.ts";
import { cancelScheduledUpdate } from "../../../core/incidents/cancel-scheduled-update.ts";
import { editScheduledUpdate } from "../../../core/incidents/edit-scheduled-update.ts";
import { extendMaintenance } from "../../../core/incidents/extend-maintenance.ts";
import { rescheduleMaintenance } from "../../../core/incidents/reschedule-maintenance.ts";
import { getScheduledUpdate } from "../../../core/incidents/scheduled-updates.ts";
import { attempt, done } from "../render.ts";
import {
  cancelInputFromForm,
  extendInputFromForm,
  rescheduleInputFromForm,
  scheduledEditInputFromForm,
} from "../scheduled-form.ts";
import type { ScheduleFormName } from "../screens/scheduled-updates.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import type { FormValues } from "../ui/form.tsx";
import { incidentDetail } from "./incidents.tsx";

/** Where a cancel returns to: the dashboard or an incident's screen, nothing else. */
function backTo(path: string | undefined, incidentId: string): string {
  return path === "/admin" ? path : `/admin/incidents/${incidentId}`;
}

/** Each window change: the action run, the form's input for it (typed by the action), and the done notice. */
const WINDOW_ACTIONS = {
  reschedule: (ctx: ActionContext, form: FormValues, id: string) =>
    run(ctx, rescheduleMaintenance, rescheduleInputFromForm(form, id)).then(() => "rescheduled"),
  extend: (ctx: ActionContext, form: FormValues, id: string) =>
    run(ctx, extendMaintenance, extendInputFromForm(form, id)).then(() => "extended"),
  cancel: (ctx: ActionContext, form: FormValues, id: string) =>
    run(ctx, cancelMaintenance, cancelInputFromForm(form, id)).then(() => "cancelled"),
};

/** Timed updates (edit, cancel) and a maintenance's window (reschedule, extend, cancel), over the core actions. */
export function scheduledRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.post("/scheduled-updates/:updateId", async (c) => {
    const updateId = c.req.param("updateId");
    const { row } = await getScheduledUpdate(deps.db, updateId);
    const form = c.get("form");
    const result = await attempt(() =>
      run(actionContext(c, deps), editScheduledUpdate, scheduledEditInputFromForm(form, updateId)),
    );
    if (!result.ok) {
      const name: ScheduleFormName = `scheduled:${updateId}`;
      return incidentDetail(
        c,
        deps,
        row.incidentId,
        { form: name, values: form, refusal: result.refusal },
        result.status,
      );
    }
    return done(c, `/admin/incidents/${row.incidentId}`, "timed-edited");
  });

  app.post("/scheduled-updates/:updateId/cancel", async (c) => {
    const updateId = c.req.param("updateId");
    const { row } = await getScheduledUpdate(deps.db, updateId);
    const result = await attempt(() => run(actionContext(c, deps), cancelScheduledUpdate, { updateId }));
    if (!result.ok) {
      const name: ScheduleFormName = `scheduled:${updateId}`;
      return incidentDetail(
        c,
        deps,
        row.incidentId,
        { form: name, values: {}, refusal: result.refusal },
        result.status,
      );
    }
    return done(c, backTo(c.get("form").back, row.incidentId), "timed-cancelled");
  });

  for (const name of ["reschedule", "extend", "cancel"] as const) {
    const change = WINDOW_ACTIONS[name];
    app.post(`/incidents/:id/${name}`, async (c) => {
      const form = c.get("form");
      const id = c.req.param("id");
      const result = await attempt(() => change(actionContext(c, deps), form, id));
      if (!result.ok)
        return incidentDetail(c, deps, id, { form: name, values: form, refusal: result.refusal }, result.status);
      return done(c, `/admin/incidents/${id}`, result.value);
    });
  }
}
