// `npm run bench -- alert-evaluation`: what one evaluation of the alerts costs (core/alerts/automation/), on a
// libSQL file: BENCH_ALERTS firing alerts (1,000), BENCH_RULES rules (20, each a label matcher and a regex) over
// BENCH_COMPONENTS components (50). Prints the pure plan's time, the first evaluation (every component moves)
// and a steady-state one (nothing to do), each the median of BENCH_ROUNDS (5).

import { run } from "../core/actions/run.ts";
import { AUTOMATION_ACTOR } from "../core/alerts/automation/actor.ts";
import { evaluateAlerts } from "../core/alerts/automation/evaluate.ts";
import { planEvaluation } from "../core/alerts/automation/plan.ts";
import { evaluationRequestStatements } from "../core/alerts/automation/request.ts";
import { loadAutomationState } from "../core/alerts/automation/state.ts";
import { createRule } from "../core/alerts/rules/create-rule.ts";
import { alertUpsertStatements } from "../core/alerts/store.ts";
import type { Statement } from "../core/changes/commit.ts";
import { createComponent } from "../core/components/create-component.ts";
import { alertSources, apiTokens, automatedComponents, components } from "../db/schema.ts";
import { contextFor, createTestDb, manualClock, setupPage } from "../test/helpers/database.ts";

const ALERTS = Number(process.env.BENCH_ALERTS ?? 1000);
const RULES = Number(process.env.BENCH_RULES ?? 20);
const COMPONENTS = Number(process.env.BENCH_COMPONENTS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function batch(statements: Statement[]): Promise<void> {
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

const testDb = await createTestDb();
const clock = manualClock();
const { db } = testDb;
const ctx = contextFor(db, clock);
await setupPage(db, clock);
const ids: string[] = [];
for (let i = 0; i < COMPONENTS; i++) ids.push((await run(ctx, createComponent, { name: `Service ${i}` })).id);
const at = clock.now().toISOString();
await db
  .insert(apiTokens)
  .values({ id: "benchtoken01", name: "bench", role: "automation", tokenHash: "x", createdAt: at });
await db
  .insert(alertSources)
  .values({ id: "bench", name: "Bench", kind: "generic", tokenId: "benchtoken01", createdAt: at, updatedAt: at });
for (let r = 0; r < RULES; r++) {
  await run(ctx, createRule, {
    name: `Rule ${r}`,
    matchers: [`team="t${r}"`, 'env=~"prod|production-.*"'],
    component_ids: [ids[r % COMPONENTS] ?? "", ids[(r * 7 + 3) % COMPONENTS] ?? ""],
  });
}
const alerts = Array.from({ length: ALERTS }, (_, i) => ({
  fingerprint: `fp${i}`,
  status: "firing" as const,
  severity: (["critical", "warning", "info", null] as const)[i % 4] ?? null,
  summary: `Alert ${i}`,
  labels: { team: `t${i % (RULES * 2)}`, env: i % 3 === 0 ? "staging" : "production-eu", instance: `host-${i}` },
  annotations: {},
  url: null,
  startsAt: null,
}));
for (let i = 0; i < alerts.length; i += 200) {
  await batch([
    ...alertUpsertStatements(db, "bench", alerts.slice(i, i + 200), clock.now()),
    ...evaluationRequestStatements(db, clock.now()),
  ]);
}
clock.advance(1000);

const state = await loadAutomationState(db);
const plans: number[] = [];
for (let i = 0; i < ROUNDS; i++) plans.push(await timed(() => planEvaluation(state, clock.now())));
const loads: number[] = [];
for (let i = 0; i < ROUNDS; i++) loads.push(await timed(() => loadAutomationState(db)));
const automation = { db, clock, actor: AUTOMATION_ACTOR };
const firsts: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  // Every component back to operational with no hold: the next evaluation moves them all again.
  await db.delete(automatedComponents);
  await db.update(components).set({ status: "operational" });
  await batch(evaluationRequestStatements(db, clock.now()));
  firsts.push(await timed(() => evaluateAlerts(automation)));
}
const moved = (await db.select().from(automatedComponents)).length;
const steady: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  await batch(evaluationRequestStatements(db, clock.now()));
  steady.push(await timed(() => evaluateAlerts(automation)));
}
const plan = planEvaluation(state, clock.now());
console.log(
  `alert evaluation: ${ALERTS} firing alerts, ${RULES} rules, ${COMPONENTS} components (${plan.matches.length} rule matches)`,
);
const line = (what: string, ms: number) =>
  console.log(`  ${what.padEnd(40)} ${ms.toFixed(1)} ms (median of ${ROUNDS})`);
line("load", median(loads));
line("pure plan", median(plans));
line(`evaluation moving ${moved} components`, median(firsts));
line("evaluation with nothing to do", median(steady));
await testDb.cleanup();
