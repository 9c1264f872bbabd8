import { describe, expect, it } from "vitest";
import { describeFinding, known, replayCommand, runSeed, type SeedFinding } from "./run.ts";

/*
 * The long consistency check (`npm run soak`): many seeds of many steps each, the same actions and
 * checks as the short run in `npm test`. Each seed stops at its first finding outside the known bugs
 * (later ones usually follow from it); the summary prints steps, seeds, time and every distinct finding
 * with the first seed and step that showed it. Skipped unless CONSISTENCY_SOAK is set.
 * CONSISTENCY_SOAK_SEEDS (default 20), CONSISTENCY_SOAK_STEPS (default 150), CONSISTENCY_SOAK_FIRST_SEED
 * (default 1000), CONSISTENCY_SOAK_MINUTES (stop starting new seeds after this long; default 60).
 */

const soaking = Boolean(process.env.CONSISTENCY_SOAK);
const SEEDS = Number(process.env.CONSISTENCY_SOAK_SEEDS ?? 20);
const STEPS = Number(process.env.CONSISTENCY_SOAK_STEPS ?? 150);
const FIRST_SEED = Number(process.env.CONSISTENCY_SOAK_FIRST_SEED ?? 1000);
const BUDGET_MS = Number(process.env.CONSISTENCY_SOAK_MINUTES ?? 60) * 60_000;

describe.skipIf(!soaking)("one truth on every channel, soaked", () => {
  it("thousands of random steps across many seeds", { timeout: BUDGET_MS + 30 * 60_000 }, async () => {
    const started = Date.now();
    let steps = 0;
    let seeds = 0;
    let retries = 0;
    let delivered = 0;
    const unexpected: SeedFinding[] = [];
    const distinct = new Map<string, { count: number; first: SeedFinding }>();
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS && Date.now() - started < BUDGET_MS; seed++) {
      const run = await runSeed(seed, STEPS, { tolerated: known, stopAfter: 1 });
      seeds++;
      steps += run.steps;
      retries += run.retries;
      delivered += run.delivered;
      for (const finding of run.findings) {
        const key =
          finding.bug ??
          `${finding.check}: ${finding.detail.replace(/\b[a-z0-9]{12}\b|mk\w+|\d{4}-\d\d-\d\dT[\d:.]+Z/g, "…")}`;
        const entry = distinct.get(key);
        if (entry) entry.count++;
        else distinct.set(key, { count: 1, first: finding });
        if (!known(finding)) unexpected.push(finding);
      }
      const failed = run.findings.find((f) => !known(f));
      console.log(
        `seed ${seed}: ${run.steps} steps in ${(run.ms / 1000).toFixed(1)} s${
          failed
            ? ` — FAILED at step ${failed.step}: ${replayCommand(seed, failed.step)}\n${run.log.join("\n")}\n${run.findings
                .filter((f) => !known(f))
                .map(describeFinding)
                .join("\n")}`
            : ""
        }`,
      );
    }
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    const lines = [...distinct].map(
      ([key, { count, first }]) => `  ${count}× ${key}\n     first: ${describeFinding(first)}`,
    );
    console.log(
      `Consistency soak: ${steps} steps across ${seeds} seeds in ${minutes} min; ${unexpected.length} finding(s) outside the known bugs; ${delivered} mails and webhooks checked; ${retries} retries after a network error.\n` +
        `Distinct findings:\n${lines.join("\n") || "  none"}`,
    );
    expect(unexpected.map(describeFinding)).toEqual([]);
  });
});
