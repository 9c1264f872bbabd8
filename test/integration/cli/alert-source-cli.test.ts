import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertLogPage } from "../../../core/alerts/sources/alert-log.ts";
import type { AlertSourceView, AlertSourceWithToken } from "../../../core/alerts/sources/schemas.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

let dataDir: string;
let herald: HeraldProcess;
let adminToken: string;

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
  dataDir = await mkdtemp(join(tmpdir(), "herald-alert-cli-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("herald alert-source against a running server", () => {
  it("creates a source, prints its token and Alertmanager configuration once; the sender's payload is received", async () => {
    const created = await cli(["alert-source", "create", "--name", "Prometheus", "--kind", "alertmanager"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("webhook_configs:");
    expect(created.stdout).toMatch(/url: https?:\/\/\S+\/api\/intake\/prometheus\n/);
    const token = /credentials: (hrld_\S+)/.exec(created.stdout)?.[1] ?? "";
    expect(token).toMatch(/^hrld_/);

    // What `curl` with Alertmanager's documented example does, over real HTTP.
    const payload = await readFile(join(ROOT, "test/fixtures/alerts/alertmanager-v4.json"), "utf8");
    const delivered = await fetch(`${herald.url}/api/intake/prometheus`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: payload,
    });
    expect(delivered.status).toBe(202);
    const log = (await (
      await fetch(`${herald.url}/api/alert-log`, { headers: { Authorization: `Bearer ${adminToken}` } })
    ).json()) as AlertLogPage;
    expect(log.lines[0]).toMatchObject({
      kind: "received",
      source_id: "prometheus",
      summary: "1 alert (1 firing); 1 changed",
    });

    const listed = await cli(["alert-source", "list", "--json"]);
    const sources = JSON.parse(listed.stdout) as AlertSourceView[];
    expect(sources.map((s) => [s.id, s.kind, s.revoked_at])).toEqual([["prometheus", "alertmanager", null]]);
    expect(listed.stdout).not.toContain(token);
  });

  it("names the option the API refused, rotates and revokes", async () => {
    const refused = await cli(["alert-source", "create", "--name", "PD", "--kind", "pagerduty"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--signing-secret");
    const beat = await cli([
      "alert-source",
      "create",
      "--name",
      "Backup",
      "--kind",
      "heartbeat",
      "--every",
      "1h",
      "--json",
    ]);
    expect(beat.code, beat.stderr).toBe(0);
    const source = JSON.parse(beat.stdout) as AlertSourceWithToken;
    const rotated = await cli(["alert-source", "rotate", source.id, "--json"]);
    const fresh = JSON.parse(rotated.stdout) as AlertSourceWithToken;
    expect(fresh.token).not.toBe(source.token);
    const ping = (token: string) =>
      fetch(`${herald.url}/api/intake/${source.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await ping(source.token)).status).toBe(401);
    expect((await ping(fresh.token)).status).toBe(202);
    const revoked = await cli(["alert-source", "revoke", source.id]);
    expect(revoked.stdout).toContain("Revoked alert source backup");
    expect((await ping(fresh.token)).status).toBe(401);
  });
});
