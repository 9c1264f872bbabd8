import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DraftView } from "../../../core/alerts/drafts/schemas.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { createIncidentTemplate, createRule, pageStatus } from "./automation-helpers.ts";
import { type DraftsHarness, startDraftsHarness, TEAM_ADDRESS } from "./drafts-harness.ts";
import { createSource, deliver, fixtureText } from "./intake-helpers.ts";

let h: DraftsHarness;

beforeEach(async () => {
  h = await startDraftsHarness();
});

afterEach(async () => {
  await h.close();
});

describe("from Alertmanager's alert to a published incident, through the real intake", () => {
  it("the alert moves API and drafts the incident; the team is told once; publishing reaches subscribers once", async () => {
    const prometheus = await createSource(h.api, { name: "Prometheus", kind: "alertmanager" });
    const template = await createIncidentTemplate(h.api);
    await createRule(h.api, {
      name: "Probe failures",
      matchers: ['alertname="ProbeFailure"'],
      component_ids: [h.apiComponent],
      template_id: template,
    });
    const firing = fixtureText("alertmanager-v4.json");
    expect((await deliver(h.api, "prometheus", { token: prometheus.token, body: firing })).status).toBe(202);
    await tick(h.scheduler);
    // Alertmanager repeats its notification: nothing new is drafted, and the team is not told twice.
    expect((await deliver(h.api, "prometheus", { token: prometheus.token, body: firing })).status).toBe(202);
    await Promise.all([tick(h.scheduler), tick(h.scheduler)]);

    expect(await pageStatus(h.api, h.apiComponent)).toBe("major_outage");
    const waiting = await h.api.request<DraftView[]>("GET", "/api/alert-drafts?state=waiting", { as: "viewer" });
    expect(waiting.body).toHaveLength(1);
    const [draft] = waiting.body;
    expect(draft?.rule_name).toBe("Probe failures");
    expect(draft?.alerts.map((a) => [a.fingerprint, a.status])).toEqual([["1a30ba71cca2921f", "firing"]]);
    expect(draft?.alerts[0]?.labels).toMatchObject({ alertname: "ProbeFailure" });

    await h.deliverAll();
    const toTeam = (await h.mails()).filter((m) => m.to === TEAM_ADDRESS);
    expect(toTeam.map((m) => m.subject)).toEqual([`[Draft waiting] ${draft?.name}`]);
    expect(h.posts("/team").map((p) => p.event)).toEqual(["alert.draft_waiting"]);
    expect(h.posts("/subscriber")).toEqual([]);
    expect((await h.mails()).filter((m) => m.to === "reader@example.com")).toEqual([]);

    const published = await h.api.request<{ incident: { id: string; name: string } }>(
      "POST",
      `/api/alert-drafts/${draft?.id}/publish`,
      { json: {} },
    );
    expect(published.status).toBe(201);
    await h.deliverAll();
    expect((await h.mails()).filter((m) => m.to === "reader@example.com").map((m) => m.subject)).toEqual([
      `[Investigating] ${published.body.incident.name}`,
    ]);
    expect(h.posts("/subscriber").map((p) => p.event)).toEqual(["incident.opened"]);

    // After publishing no draft reminder follows, however long the alert keeps firing (the incident's own
    // promise of a next update is another matter: its overdue reminder comes as ever).
    h.api.clock.advance(60 * 60_000);
    await tick(h.scheduler);
    await h.deliverAll();
    const teamSubjects = (await h.mails()).filter((m) => m.to === TEAM_ADDRESS).map((m) => m.subject);
    expect(teamSubjects.filter((s) => s.startsWith("[Draft"))).toEqual([`[Draft waiting] ${draft?.name}`]);
    expect(teamSubjects).toContain(`[Update overdue] ${published.body.incident.name}`);
    const after = await h.api.request<DraftView[]>("GET", "/api/alert-drafts?state=waiting", { as: "viewer" });
    expect(after.body).toEqual([]);

    // The alert resolves: API is back to operational on the page, while the incident stays open for a person to
    // resolve in words (its opening update set what the alerts asked; the automation restores what it moved).
    const resolved = JSON.parse(firing) as { status: string; alerts: { status: string }[] };
    resolved.status = "resolved";
    for (const alert of resolved.alerts) alert.status = "resolved";
    const body = JSON.stringify(resolved);
    expect((await deliver(h.api, "prometheus", { token: prometheus.token, body })).status).toBe(202);
    await tick(h.scheduler);
    expect(await pageStatus(h.api, h.apiComponent)).toBe("operational");
    const incident = await h.api.request<{ status: string }>("GET", `/api/incidents/${published.body.incident.id}`);
    expect(incident.body.status).toBe("investigating");
  });
});
