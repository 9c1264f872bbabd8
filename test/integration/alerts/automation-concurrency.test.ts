import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AUTOMATION_ACTOR } from "../../../core/alerts/automation/actor.ts";
import { evaluateAlerts } from "../../../core/alerts/automation/evaluate.ts";
import { createDb } from "../../../db/client.ts";
import { alertDraftAlerts, alertDrafts, auditLog, jobs } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import {
  automatedChanges,
  createIncidentTemplate,
  createRule,
  evaluate,
  pageStatus,
  send,
  setUp,
} from "./automation-helpers.ts";

let api: TestApi;
let ids: Awaited<ReturnType<typeof setUp>>;

beforeEach(async () => {
  api = await createTestApi();
  ids = await setUp(api);
});
afterEach(() => api.cleanup());

describe("evaluating alerts more than once at a time", () => {
  it("two evaluators at once (two runners, or a runner and the tick) commit each change once", async () => {
    await createRule(api, { name: "API", matchers: ["service=~api|db"], component_ids: [ids.api.id, ids.database.id] });
    const other = createDb({ url: api.url });
    try {
      const evaluators = [
        { db: api.db, clock: api.clock, actor: AUTOMATION_ACTOR },
        { db: other, clock: api.clock, actor: AUTOMATION_ACTOR },
      ];
      for (let round = 0; round < 5; round++) {
        const status = round % 2 === 0 ? "firing" : "resolved";
        await send(api, ids.source.token, { fingerprint: `a${round}`, status: "firing", severity: "critical" });
        await send(api, ids.source.token, { fingerprint: "flip", status, severity: "warning" });
        await Promise.all([...evaluators, ...evaluators].map((ctx) => evaluateAlerts(ctx)));
        api.clock.advance(1000);
      }
    } finally {
      other.$client.close();
    }
    for (const id of [ids.api.id, ids.database.id]) {
      expect((await automatedChanges(api, id)).map((c) => c.to)).toEqual(["major_outage"]);
      expect(await pageStatus(api, id)).toBe("major_outage");
    }
    const audits = await api.db.select().from(auditLog).where(eq(auditLog.action, "component.automated_status"));
    expect(audits).toHaveLength(2);
  });
});

describe("drafts from alerts", () => {
  it("drafts the incident once per rule while it waits, gathering every counted alert", async () => {
    const template = await createIncidentTemplate(api);
    await createRule(api, {
      name: "API down",
      matchers: ["service=api"],
      component_ids: [ids.api.id],
      template_id: template,
      auto_publish_minutes: 15,
    });
    for (const fingerprint of ["one", "two", "three"]) {
      await send(api, ids.source.token, { fingerprint, status: "firing" });
      await Promise.all([evaluate(api), evaluate(api)]);
      api.clock.advance(1000);
    }
    const drafts = await api.db.select().from(alertDrafts);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({
      state: "waiting",
      templateId: template,
      name: "API trouble",
      body: `We are looking into errors on API.`,
      status: "investigating",
      nextUpdateInMinutes: 30,
      components: { [ids.api.id]: "partial_outage" },
      autoPublishAt: new Date(new Date("2026-11-26T10:00:00.000Z").getTime() + 15 * 60_000).toISOString(),
    });
    const gathered = await api.db
      .select()
      .from(alertDraftAlerts)
      .where(eq(alertDraftAlerts.draftId, drafts[0]?.id ?? ""));
    expect(gathered).toHaveLength(3);
    // A delayed evaluation is queued only for an alert still in damping: here none is.
    expect(await api.db.select().from(jobs).where(eq(jobs.kind, "evaluate_alerts"))).toEqual([]);
  });
});
