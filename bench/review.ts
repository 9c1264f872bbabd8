// `npm run bench -- review`: the reliability review (core/review/) of a year holding BENCH_INCIDENTS incidents
// (100,000) × 5 updates, each but the last promising the next in 30 minutes (one in seven comes late), over
// 10 components and 5 commanders, on a libSQL file. Prints the median of BENCH_ROUNDS (5) for the review
// itself and for its JSON and CSV, then the query plan of each of the history's queries. Target: ≤ 500 ms.

import type { InValue } from "@libsql/client";
import { run } from "../core/actions/run.ts";
import { createComponent } from "../core/components/create-component.ts";
import { newId } from "../core/model/ids.ts";
import type { ComponentStatus } from "../core/model/statuses.ts";
import { computeReview } from "../core/review/compute-review.ts";
import { historyQueries, loadReviewData } from "../core/review/load-review-data.ts";
import { previousPeriod } from "../core/review/period.ts";
import { reviewCsv } from "../core/review/review-csv.ts";
import { snakeKeys } from "../core/review/snake-keys.ts";
import { componentStatusChanges, incidents, incidentUpdates, people, updateComponents } from "../db/schema.ts";
import { contextFor, createTestDb, manualClock, setupPage } from "../test/helpers/database.ts";
import { insertStatements } from "./seed.ts";

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DAY = 86_400_000;
const MINUTE = 60_000;
const FLOW = ["investigating", "identified", "monitoring", "monitoring", "resolved"] as const;
const OUTAGES: ComponentStatus[] = ["degraded_performance", "partial_outage", "major_outage"];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const testDb = await createTestDb();
const { db } = testDb;
const now = new Date("2026-11-26T10:00:00.000Z");
const clock = manualClock(new Date(now.getTime() - 400 * DAY).toISOString());
await setupPage(db, clock);
const ctx = contextFor(db, clock);
const componentIds: string[] = [];
for (let i = 0; i < 10; i++) componentIds.push((await run(ctx, createComponent, { name: `Service ${i + 1}` })).id);
const commanderIds = Array.from({ length: 5 }, () => newId());
await db.insert(people).values(
  commanderIds.map((id, i) => ({
    id,
    name: `Commander ${i + 1}`,
    email: `commander${i + 1}@bench.test`,
    role: "commander" as const,
    createdAt: clock.now().toISOString(),
    updatedAt: clock.now().toISOString(),
  })),
);

const seeding = performance.now();
await db.$client.execute("PRAGMA synchronous = OFF");
const span = 365 * DAY;
const yearStart = now.getTime() - span;
const CHUNK = 2_000;
for (let start = 0; start < INCIDENTS; start += CHUNK) {
  const incidentRows: (typeof incidents.$inferInsert)[] = [];
  const updateRows: (typeof incidentUpdates.$inferInsert)[] = [];
  const namedRows: (typeof updateComponents.$inferInsert)[] = [];
  const statusRows: (typeof componentStatusChanges.$inferInsert)[] = [];
  for (let i = start; i < Math.min(start + CHUNK, INCIDENTS); i++) {
    const began = yearStart + Math.floor((span * i) / INCIDENTS);
    // Every seventh incident's third update comes 25 minutes after its promise; a few are first told late.
    const offsets = [i % 11 === 0 ? 12 : 0, 20, i % 7 === 0 ? 75 : 40, 60, 80].map((m, step) =>
      step > 2 && i % 7 === 0 ? m + 35 : m,
    );
    const at = (step: number) => new Date(began + (offsets[step] ?? 0) * MINUTE).toISOString();
    const id = newId();
    const component = componentIds[i % componentIds.length] ?? "";
    const outage = OUTAGES[i % OUTAGES.length] ?? "major_outage";
    incidentRows.push({
      id,
      kind: "incident",
      name: `Incident ${i + 1}`,
      status: "resolved",
      impact: outage === "major_outage" ? "critical" : outage === "partial_outage" ? "major" : "minor",
      createdAt: new Date(began).toISOString(),
      updatedAt: at(4),
      startedAt: new Date(began).toISOString(),
      monitoringAt: at(2),
      resolvedAt: at(4),
      commanderId: i % 6 === 0 ? null : (commanderIds[i % commanderIds.length] ?? null),
    });
    FLOW.forEach((status, step) => {
      const updateId = newId();
      updateRows.push({
        id: updateId,
        incidentId: id,
        status,
        bodyMd: "Update.",
        bodyHtml: "<p>Update.</p>",
        displayAt: at(step),
        createdAt: at(step),
        updatedAt: at(step),
        publishAt: at(step),
        publishedAt: at(step),
        nextUpdateInMinutes: status === "resolved" ? null : 30,
      });
      const change: [ComponentStatus, ComponentStatus] | null =
        step === 0 ? ["operational", outage] : step === 4 ? [outage, "operational"] : null;
      if (!change) return;
      const [oldStatus, newStatus] = change;
      namedRows.push({
        updateId,
        incidentId: id,
        componentId: component,
        componentName: "Service",
        oldStatus,
        newStatus,
      });
      statusRows.push({
        id: newId(),
        componentId: component,
        oldStatus,
        newStatus,
        at: at(step),
        incidentId: id,
        updateId,
      });
    });
  }
  await db.$client.batch(
    [
      ...insertStatements(incidents, incidentRows),
      ...insertStatements(incidentUpdates, updateRows),
      ...insertStatements(updateComponents, namedRows),
      ...insertStatements(componentStatusChanges, statusRows),
    ],
    "write",
  );
}
await db.$client.execute("PRAGMA synchronous = FULL");
await db.$client.execute("ANALYZE");
console.log(
  `Seeded ${INCIDENTS.toLocaleString("en-US")} incidents in a year in ${((performance.now() - seeding) / 1000).toFixed(1)} s.`,
);

const query = { from: new Date(yearStart).toISOString(), to: now.toISOString() };
const at = { now: () => now };
const review = await computeReview(db, query, at);
console.log(
  `The year: ${review.overall.incidents.count.toLocaleString("en-US")} incidents, promises kept ${review.overall.promises.keptPercent} % of ${review.overall.promises.due.toLocaleString("en-US")}, first post p90 ${review.overall.firstPost.p90} min, ${review.byComponent.length} components, ${review.byCommander.length} commanders.`,
);
const reads: number[] = [];
const reviews: number[] = [];
const exports: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let computed = review;
  reviews.push(
    await timed(async () => {
      computed = await computeReview(db, query, at);
    }),
  );
  exports.push(await timed(() => [JSON.stringify(snakeKeys(computed)).length, reviewCsv(computed).length]));
  const period = { from: query.from, to: query.to };
  reads.push(await timed(() => loadReviewData(db, { current: period, previous: previousPeriod(period) }, now)));
}
const total = median(reviews) + median(exports);
console.log(`computeReview (a year and the year before): median ${median(reviews).toFixed(0)} ms of ${ROUNDS}`);
console.log(`  of which reading the rows (loadReviewData): median ${median(reads).toFixed(0)} ms`);
console.log(`JSON + CSV of it: median ${median(exports).toFixed(0)} ms`);
console.log(`Together ${total.toFixed(0)} ms: ${total <= 500 ? "within" : "OVER"} the 500 ms target.`);

console.log("\nQuery plans (EXPLAIN QUERY PLAN) of the history's queries:");
const queries = historyQueries(db, { from: new Date(yearStart - span).toISOString(), to: now.toISOString() });
for (const [name, builder] of Object.entries(queries)) {
  const { sql, params } = builder.toSQL();
  const started = performance.now();
  await db.$client.execute({ sql, args: params as InValue[] });
  const ms = performance.now() - started;
  const plan = await db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: params as InValue[] });
  console.log(`  ${name} (${ms.toFixed(0)} ms):`);
  for (const row of plan.rows) console.log(`    ${String(row.detail)}`);
}
await testDb.cleanup();
