import { describe, expect, it } from "vitest";
import { seedFromEnv } from "../helpers/prng.ts";
import { describeFinding, known, replayCommand, runSeed } from "./run.ts";

/*
 * Issue 19's consistency check, short: a few seeds of random commander actions against a whole Herald
 * (real render, real SMTP server process, real webhook receiver, the scheduler on a clock the test
 * moves); after every step the page, incident and component pages, feeds, calendar and v2 JSON must
 * agree with each other, the database and the model, and every subscriber must have heard exactly the
 * public events of its scope, once. `npm run soak` runs the long version (test/consistency/soak.test.ts).
 * A finding listed in KNOWN_BUGS (fixed on another branch) is reported but tolerated here.
 */

const replaying = process.env.CONSISTENCY_SEED !== undefined && process.env.CONSISTENCY_SEED !== "";
const SEEDS = replaying ? [seedFromEnv("CONSISTENCY_SEED")] : [1, 2, 3];
const STEPS = Number(process.env.CONSISTENCY_STEPS ?? 15);

describe("one truth on every channel", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${STEPS} random steps keep every surface and every inbox in agreement`, {
      timeout: 240_000,
    }, async () => {
      const run = await runSeed(seed, STEPS, { tolerated: known, stopAfter: 1 });
      const unexpected = run.findings.filter((f) => !known(f));
      const tolerated = run.findings.filter(known);
      if (tolerated.length > 0)
        console.log(
          `seed ${seed}: ${tolerated.length} known-bug finding(s):\n${[...new Set(tolerated.map((f) => f.bug))].join(", ")}`,
        );
      if (unexpected.length > 0)
        console.log(
          `seed ${seed} failed at step ${unexpected[0]?.step}; replay: ${replayCommand(seed, unexpected[0]?.step ?? STEPS)}\n` +
            `${run.log.join("\n")}\n${unexpected.map(describeFinding).join("\n")}`,
        );
      expect(unexpected.map(describeFinding)).toEqual([]);
    });
  }
});
