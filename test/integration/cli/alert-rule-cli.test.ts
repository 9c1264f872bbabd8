import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuleView } from "../../../core/alerts/rules/rule-view.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

let dataDir: string;
let herald: HeraldProcess;
let adminToken: string;
let apiComponent: string;

type Run = { code: number | null; stdout: string; stderr: string };

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["dist/herald.mjs", ...args], {
      cwd: ROOT,
      env: { ...process.env, HERALD_URL: herald.url, HERALD_TOKEN: adminToken, HERALD_DATA: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-alert-rule-cli-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  const created = await fetch(`${herald.url}/api/components`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Checkout API" }),
  });
  apiComponent = ((await created.json()) as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("herald alert-rule against a running server", () => {
  it("creates, lists, tests against Alertmanager's example and deletes a rule; a bad matcher is named", async () => {
    const bad = await cli([
      "alert-rule",
      "create",
      "--name",
      "Bad",
      "--match",
      'env=~"(prod"',
      "--component",
      apiComponent,
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('env=~"(prod": the regular expression');
    expect(bad.stderr).toContain("--match");

    const created = await cli([
      "alert-rule",
      "create",
      "--name",
      "Probe failures",
      "--match",
      'alertname="ProbeFailure"',
      "--component",
      apiComponent,
      "--status",
      "critical=partial_outage",
      "--for",
      "60",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const listed = await cli(["alert-rule", "list", "--json"]);
    const [rule] = JSON.parse(listed.stdout) as RuleView[];
    expect(rule).toMatchObject({ name: "Probe failures", for_seconds: 60, statuses: { critical: "partial_outage" } });

    const payload = join(dataDir, "alert.json");
    await writeFile(payload, await readFile(join(ROOT, "test/fixtures/alerts/alertmanager-v4.json"), "utf8"));
    const tested = await cli(["alert-rule", "test", rule?.id ?? "", "--kind", "alertmanager", "--payload", payload]);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toContain("alert 1a30ba71cca2921f firing: matches (counts from");
    expect(tested.stdout).toContain("Checkout API: move → partial_outage");

    const deleted = await cli(["alert-rule", "delete", rule?.id ?? ""]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(JSON.parse((await cli(["alert-rule", "list", "--json"])).stdout)).toEqual([]);
  });
});
