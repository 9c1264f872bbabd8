import { createComponent } from "../core/components/create-component.ts";
import { SYSTEM_ACTOR } from "../core/context.ts";
import { newId } from "../core/ids.ts";
import { renderMarkdown } from "../core/markdown.ts";
import { ensurePage } from "../core/page/get-page.ts";
import type { ComponentStatus } from "../core/statuses.ts";
import type { Db } from "../db/client.ts";
import { componentStatusChanges, incidents, incidentUpdates, updateComponents } from "../db/schema.ts";

const HOUR = 3_600_000;
const CLOSED_FLOW = ["investigating", "identified", "monitoring", "monitoring", "resolved"] as const;
const OPEN_FLOW = ["investigating", "identified", "identified", "monitoring", "monitoring"] as const;
const OUTAGES: ComponentStatus[] = ["degraded_performance", "partial_outage", "major_outage"];

/**
 * Seeds a page with `count` incidents × 5 updates spread over the past three years, the newest `open`
 * of them still open. Components come through the real actions; the bulk history is inserted in
 * batches (seeding 50,000 updates through the API would measure the seeding, not the page).
 */
export async function seedHistory(
  db: Db,
  options: { count: number; open: number; now: Date },
): Promise<{ openIds: string[] }> {
  const clock = { now: () => new Date(options.now.getTime() - 3 * 365 * 24 * HOUR - 30 * 24 * HOUR) };
  const ctx = { db, clock, actor: SYSTEM_ACTOR };
  await ensurePage(db, clock, { name: "Bench Status", url: "http://localhost" });
  const components = [];
  for (let i = 0; i < 10; i++) components.push(await createComponent(ctx, { name: `Component ${i + 1}` }));

  const span = 3 * 365 * 24 * HOUR;
  const bodies = [
    "We are investigating **elevated error rates** on the API. Some requests fail with `503`.",
    "The issue has been identified: a failed storage volume. We are failing over.\n\n- Reads: recovering\n- Writes: failing",
    "A fix has been implemented and we are [monitoring](https://example.com/runbook) the results.",
    "Error rates are back to normal for most customers; a few regions still see retries.",
    "This incident has been resolved. We will publish a post-incident review within five business days.",
  ].map((md) => ({ md, html: renderMarkdown(md) }));
  const openIds: string[] = [];
  const CHUNK = 400;
  for (let start = 0; start < options.count; start += CHUNK) {
    const incidentRows: (typeof incidents.$inferInsert)[] = [];
    const updateRows: (typeof incidentUpdates.$inferInsert)[] = [];
    const changeRows: (typeof updateComponents.$inferInsert)[] = [];
    const statusRows: (typeof componentStatusChanges.$inferInsert)[] = [];
    for (let i = start; i < Math.min(start + CHUNK, options.count); i++) {
      const isOpen = i >= options.count - options.open;
      const flow = isOpen ? OPEN_FLOW : CLOSED_FLOW;
      const began = options.now.getTime() - span + Math.floor((span * i) / options.count);
      const at = (step: number) => new Date(began + step * 20 * 60_000).toISOString();
      const id = newId();
      if (isOpen) openIds.push(id);
      const component = components[i % components.length];
      if (!component) throw new Error("no components");
      const outage = OUTAGES[i % OUTAGES.length] ?? "major_outage";
      incidentRows.push({
        id,
        kind: "incident" as const,
        name: `Incident ${i + 1}: ${component.name} ${outage.replace("_", " ")}`,
        status: flow[4],
        impact: outage === "major_outage" ? "critical" : outage === "partial_outage" ? "major" : "minor",
        impactOverride: null,
        createdAt: at(0),
        updatedAt: at(4),
        startedAt: at(0),
        monitoringAt: at(2),
        resolvedAt: isOpen ? null : at(4),
        scheduledFor: null,
        scheduledUntil: null,
      });
      flow.forEach((status, step) => {
        const updateId = newId();
        const body = bodies[step] ?? bodies[0];
        if (!body) return;
        updateRows.push({
          id: updateId,
          incidentId: id,
          status,
          bodyMd: body.md,
          bodyHtml: body.html,
          displayAt: at(step),
          createdAt: at(step),
          updatedAt: at(step),
          deliverNotifications: true,
          createdBy: "bench",
        });
        const change = step === 0 ? ["operational", outage] : step === 4 && !isOpen ? [outage, "operational"] : null;
        if (change) {
          const [oldStatus, newStatus] = change as [string, string];
          changeRows.push({
            updateId,
            incidentId: id,
            componentId: component.id,
            componentName: component.name,
            oldStatus,
            newStatus,
          });
          statusRows.push({
            id: newId(),
            componentId: component.id,
            oldStatus,
            newStatus,
            at: at(step),
            incidentId: id,
            updateId,
          });
        }
      });
    }
    await db.batch([
      db.insert(incidents).values(incidentRows),
      db.insert(incidentUpdates).values(updateRows),
      db.insert(updateComponents).values(changeRows),
      db.insert(componentStatusChanges).values(statusRows),
    ]);
  }
  return { openIds };
}
