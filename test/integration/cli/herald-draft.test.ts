import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DraftView } from "../../../core/alerts/drafts/schemas.ts";
import { heraldJson, runHerald } from "../../helpers/herald-cli.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

let dataDir: string;
let herald: HeraldProcess;
let env: Record<string, string>;

const cli = (args: string[]) => runHerald(args, env);
const json = <T>(args: string[]) => heraldJson<T>(args, env);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-cli-draft-"));
  herald = await startHeraldProcess(dataDir);
  env = { HERALD_URL: herald.url, HERALD_TOKEN: herald.printedToken ?? "", HERALD_DATA: dataDir };
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string, body: unknown, token = env.HERALD_TOKEN): Promise<T> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A rule drafting from each probe failure, and Alertmanager's example delivered to it: one waiting draft. */
async function waitingDraft(ruleName: string, componentName: string): Promise<DraftView> {
  const components = await api<{ id: string; name: string }[]>("GET", "/api/components", undefined);
  const component = components.find((c) => c.name === componentName)?.id ?? "";
  const source = await api<{ id: string; token: string }>("POST", "/api/alert-sources", {
    name: `Prometheus ${ruleName}`,
    kind: "alertmanager",
  });
  await api("POST", "/api/alert-rules", {
    name: ruleName,
    matchers: ['alertname="ProbeFailure"'],
    source_ids: [source.id],
    component_ids: [component],
    template_id: "partial-outage",
  });
  const payload = await readFile("test/fixtures/alerts/alertmanager-v4.json", "utf8");
  await api("POST", `/api/intake/${source.id}`, payload, source.token);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const drafts = await json<DraftView[]>(["draft", "list", "--state", "waiting"]);
    const found = drafts.find((d) => d.rule_name === ruleName);
    if (found) return found;
    if (Date.now() > deadline) throw new Error("no draft was made");
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe("herald draft", () => {
  it("lists and shows a draft with its alerts, publishes it with edits, and says so when it is already decided", async () => {
    const draft = await waitingDraft("Probe failures", "API");
    const list = await cli(["draft", "list"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(draft.id);
    const shown = await cli(["draft", "show", draft.id]);
    expect(shown.stdout).toContain("BlackBox Probe Failure: https://server.example.org");
    expect(shown.stdout).toContain("alertname=ProbeFailure");
    expect(shown.stdout).toContain("API");

    const published = await json<{
      incident: { id: string; name: string; components: { name: string; status: string }[] };
    }>([
      "draft",
      "publish",
      draft.id,
      "--name",
      "Probe failures on the API",
      "--component",
      "API=partial_outage",
      "--no-notify",
    ]);
    expect(published.incident.name).toBe("Probe failures on the API");
    expect(published.incident.components).toEqual([expect.objectContaining({ name: "API", status: "partial_outage" })]);

    const again = await cli(["draft", "publish", draft.id]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("someone published or discarded it first");
    const bad = await cli(["draft", "publish", "nosuchdraft0"]);
    expect(bad.code).toBe(2);
  }, 60_000);

  it("discards a draft", async () => {
    // Another component: API is held by the incident the first test published, where alerts change nothing.
    const draft = await waitingDraft("Probe failures, second", "Website");
    const discarded = await cli(["draft", "discard", draft.id]);
    expect(discarded.code, discarded.stderr).toBe(0);
    expect(discarded.stdout).toContain(`Draft ${draft.id} discarded.`);
    expect((await json<DraftView>(["draft", "show", draft.id])).state).toBe("discarded");
  }, 60_000);
});
