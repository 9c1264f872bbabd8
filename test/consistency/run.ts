import { diffSnapshots, snapshotDb } from "../helpers/db-snapshot.ts";
import { seededRandom } from "../helpers/prng.ts";
import { type Finding, runOneAction } from "./actions.ts";
import { checkAlerted, setUpAlerts } from "./alerts.ts";
import { deliveryChecker } from "./deliveries.ts";
import { type ConsistencyHerald, startConsistencyHerald } from "./herald.ts";
import { KNOWN_BUGS } from "./known-bugs.ts";
import { type Component, Model } from "./model.ts";
import { checkSurfaces } from "./surfaces.ts";
import { setUpTeam } from "./team.ts";

/** A finding with where it happened, so the seed can be replayed to that step. */
export type SeedFinding = Finding & { seed: number; step: number; action: string };

export type SeedRun = {
  seed: number;
  steps: number;
  findings: SeedFinding[];
  log: string[];
  ms: number;
  /** Deliveries retried after a network error (the test let their backoff pass). */
  retries: number;
  /** Mails and webhook requests received, each checked against the model. */
  delivered: number;
};

/** Rows that move without any change: the sender's heartbeat, token use, rate-limit windows. */
const VOLATILE = ["locks", "rate_limits", "api_tokens.last_used_at", "console_sessions"];

/** Whether a finding is one of the known bugs another branch fixes. */
export const known = (finding: Finding): boolean => finding.bug !== undefined && Object.hasOwn(KNOWN_BUGS, finding.bug);

export function describeFinding(f: SeedFinding): string {
  const bug = f.bug ? ` [known bug ${f.bug}, fixed on branch ${KNOWN_BUGS[f.bug]?.branch}]` : "";
  return `seed ${f.seed} step ${f.step} (${f.action}) ${f.check}: ${f.detail}${bug}`;
}

/** The replay line printed for a failing seed. */
export function replayCommand(seed: number, steps: number): string {
  return `CONSISTENCY_SEED=${seed} CONSISTENCY_STEPS=${steps} npx vitest run test/consistency/consistency.test.ts`;
}

/**
 * One seed: a fresh Herald with the stock demo components and a set of subscribers, then `steps`
 * random actions, each followed by settling and every check. Stops early at `stopAt` findings outside
 * `tolerated` (the first real failure is the useful one; later ones usually follow from it).
 */
export async function runSeed(
  seed: number,
  steps: number,
  options: { tolerated?: (finding: Finding) => boolean; stopAfter?: number } = {},
): Promise<SeedRun> {
  const started = Date.now();
  const rnd = seededRandom(seed);
  const h = await startConsistencyHerald();
  const findings: SeedFinding[] = [];
  const log: string[] = [];
  let unexpected = 0;
  try {
    const list = await h.api<{ id: string; name: string; group_id: string | null; group: boolean }[]>(
      "GET",
      "/api/components",
    );
    const components: Component[] = list.body.map((c) => ({
      id: c.id,
      name: c.name,
      groupId: c.group_id,
      group: c.group,
    }));
    const model = new Model(components, seed.toString(36));
    model.alerted = await setUpAlerts(h);
    await addSubscribers(h, model);
    await setUpTeam(h, model);
    await h.settled();
    const checkDeliveries = deliveryChecker(h);
    for (let step = 1; step <= steps; step++) {
      model.step = step;
      const before = await snapshotDb(h.herald.db, VOLATILE);
      const result = await runOneAction(h, model, rnd);
      await h.tick();
      await modelTick(h, model);
      log.push(`${step}. ${result.name}: ${result.detail}`);
      const stepFindings: Finding[] = [...result.findings];
      try {
        await h.settled();
      } catch (error) {
        // A job or delivery that never finishes is a finding like any other, and the end of this seed.
        const detail = error instanceof Error ? error.message : String(error);
        findings.push({ check: "settles", detail, seed, step, action: `${result.name}: ${result.detail}` });
        log.push(`stopped after step ${step}: it did not settle`);
        return {
          seed,
          steps: step,
          findings,
          log,
          ms: Date.now() - started,
          retries: h.retriesWaitedFor(),
          delivered: h.sink.accepted().length + h.receiver.received.length,
        };
      }
      if (result.refused && result.findings.length === 0) {
        const changed = diffSnapshots(before, await snapshotDb(h.herald.db, VOLATILE));
        if (changed.length > 0)
          stepFindings.push({
            check: "refused-changes-nothing",
            detail: `a refused request changed:\n${changed.slice(0, 8).join("\n")}`,
          });
      }
      stepFindings.push(...(await checkDeliveries(model)));
      stepFindings.push(...(await checkSurfaces(h, model)));
      stepFindings.push(...(await checkAlerted(h, model)));
      for (const f of stepFindings) {
        findings.push({ ...f, seed, step, action: `${result.name}: ${result.detail}` });
        if (!options.tolerated?.(f)) unexpected++;
      }
      if (options.stopAfter !== undefined && unexpected >= options.stopAfter) {
        log.push(`stopped after step ${step}: ${unexpected} finding(s) outside the known bugs`);
        return {
          seed,
          steps: step,
          findings,
          log,
          ms: Date.now() - started,
          retries: h.retriesWaitedFor(),
          delivered: h.sink.accepted().length + h.receiver.received.length,
        };
      }
    }
    return {
      seed,
      steps,
      findings,
      log,
      ms: Date.now() - started,
      retries: h.retriesWaitedFor(),
      delivered: h.sink.accepted().length + h.receiver.received.length,
    };
  } finally {
    await h.close();
  }
}

/** The model's side of the tick that follows every step; scheduled openings are found by their unique name. */
async function modelTick(h: ConsistencyHerald, model: Model): Promise<void> {
  const names = new Map<string, string>();
  if (model.openings.length > 0) {
    const rows = await h.herald.db.$client.execute("SELECT id, name FROM incidents");
    for (const row of rows.rows) names.set(String(row.name), String(row.id));
  }
  model.tick(h.clock.now().toISOString(), (name) => names.get(name) ?? null);
}

/** The subscribers every seed starts with: the whole page and scopes, by mail and by webhook. */
async function addSubscribers(h: ConsistencyHerald, model: Model): Promise<void> {
  const named = (name: string) => {
    const found = model.components.find((c) => c.name === name);
    if (!found) throw new Error(`no component ${name}`);
    return found.id;
  };
  const mail: [string, string[] | null][] = [
    ["everything@readers.test", null],
    ["api@readers.test", [named("API")]],
    ["platform@readers.test", [named("Platform")]],
    ["website@readers.test", [named("Website")]],
  ];
  for (const [address, scope] of mail) {
    const answer = await h.api<{ id: string }>("POST", "/api/subscribers", {
      address,
      ...(scope ? { components: scope } : {}),
    });
    if (answer.status !== 201)
      throw new Error(`subscriber ${address}: ${answer.status} ${JSON.stringify(answer.body)}`);
    model.subscribers.push({
      id: answer.body.id,
      label: address,
      channel: "email",
      address,
      scope,
      secret: null,
      fromStep: 0,
      untilStep: null,
    });
  }
  const hooks: [string, string[] | null][] = [
    ["/everything", null],
    ["/database", [named("Database")]],
    ["/api", [named("API")]],
  ];
  for (const [path, scope] of hooks) {
    const url = h.receiver.url(path);
    const answer = await h.api<{ id: string; secret: string }>("POST", "/api/webhooks", {
      url,
      format: "json",
      owner_email: "ops@acme.test",
      ...(scope ? { components: scope } : {}),
    });
    if (answer.status !== 201) throw new Error(`webhook ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    model.subscribers.push({
      id: answer.body.id,
      label: `webhook ${path}`,
      channel: "webhook",
      address: url,
      scope,
      secret: answer.body.secret,
      fromStep: 0,
      untilStep: null,
    });
  }
}
