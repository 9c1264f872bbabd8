import { eq } from "drizzle-orm";
import { subscribers } from "../../../db/schema.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { invalid } from "../../actions/errors.ts";
import { subscriberIdInput } from "./schemas.ts";
import { loadSubscriber } from "./subscriber-rows.ts";
import { type AdminSubscriber, adminSubscriber } from "./subscriber-view.ts";

/** Stops sending to a subscriber (a bouncing address, a complaint) without forgetting it. */
export const quarantineSubscriber = defineAction({
  name: "subscriber.quarantine",
  role: "commander",
  doing: "quarantine subscribers",
  input: subscriberIdInput,
  load: (ctx, { id }) => loadSubscriber(ctx.db, id),
  plan({ db, row, scope }, _input, { now, actor }): Outcome<AdminSubscriber> {
    if (row.state === "quarantined") return { changes: [], result: adminSubscriber(row, scope, actor.role) };
    if (row.state !== "active" && row.state !== "unconfirmed") {
      throw invalid(`A subscriber who is ${row.state} cannot be quarantined.`, [
        { path: "(path)", message: `state is ${row.state}` },
      ]);
    }
    const at = now.toISOString();
    const fields = { state: "quarantined" as const, quarantinedAt: at, updatedAt: at };
    const change = {
      statements: [db.update(subscribers).set(fields).where(eq(subscribers.id, row.id))],
      audit: {
        action: "subscriber.quarantine",
        targetType: "subscriber",
        targetId: row.id,
        details: { before: row.state },
      },
      jobs: [],
    };
    return { changes: [change], result: adminSubscriber({ ...row, ...fields }, scope, actor.role) };
  },
});

/** Sends to a quarantined subscriber again, its failure count reset. */
export const unquarantineSubscriber = defineAction({
  name: "subscriber.unquarantine",
  role: "commander",
  doing: "unquarantine subscribers",
  input: subscriberIdInput,
  load: (ctx, { id }) => loadSubscriber(ctx.db, id),
  plan({ db, row, scope }, _input, { now, actor }): Outcome<AdminSubscriber> {
    if (row.state !== "quarantined") {
      throw invalid(`The subscriber is ${row.state}, not quarantined.`, [
        { path: "(path)", message: `state is ${row.state}` },
      ]);
    }
    const state = row.confirmedAt ? ("active" as const) : ("unconfirmed" as const);
    const fields = {
      state,
      quarantinedAt: null,
      quarantineReason: null,
      hardFailures: 0,
      failingSince: null,
      updatedAt: now.toISOString(),
    };
    const change = {
      statements: [db.update(subscribers).set(fields).where(eq(subscribers.id, row.id))],
      audit: {
        action: "subscriber.unquarantine",
        targetType: "subscriber",
        targetId: row.id,
        details: { after: state },
      },
      jobs: [],
    };
    return { changes: [change], result: adminSubscriber({ ...row, ...fields }, scope, actor.role) };
  },
});
