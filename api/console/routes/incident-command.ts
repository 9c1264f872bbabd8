import type { Hono } from "hono";
import { run } from "../../../core/actions/run.ts";
import { acknowledgePromise } from "../../../core/escalation/acknowledge.ts";
import { handOverIncident } from "../../../core/escalation/hand-over.ts";
import { attempt, done } from "../render.ts";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { incidentDetail } from "./incidents.tsx";

/** The incident screen's command card: take command or hand over, and "acknowledge, posting in N minutes". */
export function incidentCommandRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.post("/incidents/:id/commander", async (c) => {
    const form = c.get("form");
    const id = c.req.param("id");
    const result = await attempt(() =>
      run(actionContext(c, deps), handOverIncident, { id, person_id: form.person_id ?? "" }),
    );
    if (!result.ok)
      return incidentDetail(c, deps, id, { form: "command", values: form, refusal: result.refusal }, result.status);
    return done(c, `/admin/incidents/${id}`, "handed-over");
  });

  app.post("/incidents/:id/acknowledge", async (c) => {
    const form = c.get("form");
    const id = c.req.param("id");
    const minutes = /^\d{1,4}$/.test(form.minutes ?? "") ? Number(form.minutes) : Number.NaN;
    const result = await attempt(() => run(actionContext(c, deps), acknowledgePromise, { id, minutes }));
    if (!result.ok)
      return incidentDetail(c, deps, id, { form: "acknowledge", values: form, refusal: result.refusal }, result.status);
    return done(c, `/admin/incidents/${id}`, "acknowledged");
  });
}
