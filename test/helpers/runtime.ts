import { describe, it } from "vitest";

/** The vitest project `workerd` runs the API suite against the Worker (test/helpers/workerd-api.ts). */
export const ON_WORKERD = process.env.HERALD_TEST_RUNTIME === "workerd";

/**
 * A test that cannot run against the Worker: it runs in the `node` project and is skipped in `workerd`, its name
 * there saying why. Keep these few: the whole API suite is meant to run on both.
 */
export function nodeOnly(reason: string) {
  const named = (name: string) => (ON_WORKERD ? `${name} (Node only: ${reason})` : name);
  return {
    it: (name: string, test: () => Promise<void> | void) => it.skipIf(ON_WORKERD)(named(name), test),
    describe: (name: string, suite: () => void) => describe.skipIf(ON_WORKERD)(named(name), suite),
  };
}

/**
 * On the Worker, every `every`-th item of a generated corpus (all of them on Node). The refusals are decided by
 * the same core code on both runtimes; the Worker's run proves its transport carries each kind of refusal (every
 * route's first refusal and every 24th after it), and the whole corpus (some 4,700 requests, each with a database
 * snapshot over HTTP, about 300 ms apiece) would take CI past its budget.
 */
export function sampledOnWorkerd<T>(items: readonly T[], every = 24): T[] {
  return ON_WORKERD ? items.filter((_item, index) => index % every === 0) : [...items];
}
