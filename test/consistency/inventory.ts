import type { Random } from "../helpers/prng.ts";
import type { ActionResult, Finding } from "./actions.ts";
import type { Answer, ConsistencyHerald } from "./herald.ts";
import type { Model } from "./model.ts";

/**
 * The service inventory in the consistency check (docs/inventory.md): owners, links, targets, ticks and
 * stage moves among prototype, development and production are inventory data. They show nowhere public and
 * tell nobody, so the model expects no event from them, and each action checks here that the public v2 JSON
 * is the same after it as before. (Deprecation and sunset, which do show, are the sunset slice's actions.)
 */
type Context = { h: ConsistencyHerald; model: Model; rnd: Random };

const ITEMS = ["chk_repository", "chk_runbook", "chk_staging", "chk_alerts", "chk_on_call", "chk_backups"];
const STAGES = ["prototype", "development", "production", "deprecated", "sunset"] as const;

type Card = { stage: string; checklist: { missing: unknown[] } };

async function publicJson(h: ConsistencyHerald): Promise<string> {
  const [components, summary] = await Promise.all([
    h.api("GET", "/api/v2/components.json"),
    h.api("GET", "/api/v2/summary.json"),
  ]);
  return JSON.stringify([components.body, summary.body]);
}

/** Runs an inventory request and reports a wrong answer, or any change to what the public sees. */
async function checked(
  c: Context,
  name: string,
  detail: string,
  request: () => Promise<Answer<unknown>>,
  expected: number,
): Promise<ActionResult> {
  const before = await publicJson(c.h);
  const answer = await request();
  const findings: Finding[] = [];
  if (answer.status !== expected) {
    findings.push({
      check: "inventory",
      detail: `${detail}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
    });
  }
  if ((await publicJson(c.h)) !== before) {
    findings.push({ check: "inventory-private", detail: `${detail} changed the public v2 JSON` });
  }
  return { name, detail, findings, ...(expected >= 400 ? { refused: true } : {}) };
}

export async function inventoryEdit(c: Context): Promise<ActionResult> {
  const component = c.rnd.pick(c.model.leaves());
  const marker = c.model.marker();
  const body = c.rnd.pick([
    { owner_team: `Team ${marker}` },
    { owner_team: null },
    { runbook_url: `https://wiki.example.com/${marker}`, dashboard_url: null },
    { uptime_target: c.rnd.pick(["99", "99.9", "99.95", null]) },
  ]);
  const path = `/api/components/${component.id}/inventory`;
  return checked(
    c,
    "inventory-edit",
    `${component.name} ${JSON.stringify(body)}`,
    () => c.h.api("PATCH", path, body),
    200,
  );
}

export async function inventoryTick(c: Context): Promise<ActionResult> {
  const component = c.rnd.pick(c.model.leaves());
  const item = c.rnd.pick(ITEMS);
  const method = c.rnd.chance(0.7) ? "PUT" : "DELETE";
  const path = `/api/components/${component.id}/checklist/${item}`;
  const detail = `${method === "PUT" ? "tick" : "untick"} ${item} for ${component.name}`;
  return checked(c, "inventory-tick", detail, () => c.h.api(method, path), 200);
}

export async function stageMove(c: Context): Promise<ActionResult> {
  const component = c.rnd.pick(c.model.leaves());
  const card = (await c.h.api<Card>("GET", `/api/components/${component.id}/inventory`)).body;
  const stage = c.rnd.pick(STAGES);
  const reason = c.rnd.chance(0.5) ? `Reason ${c.model.marker()}` : undefined;
  const unready = stage === "production" && stage !== card.stage && card.checklist.missing.length > 0;
  const expected = stage === "deprecated" || stage === "sunset" || (unready && reason === undefined) ? 422 : 200;
  const detail = `${component.name} ${card.stage} → ${stage}${reason ? " with a reason" : ""}`;
  const path = `/api/components/${component.id}/stage`;
  return checked(c, "stage", detail, () => c.h.api("POST", path, { stage, ...(reason ? { reason } : {}) }), expected);
}
