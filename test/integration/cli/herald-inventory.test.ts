import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChecklistItemView, InventoryCard } from "../../../core/inventory/inventory-view.ts";
import { heraldJson, runHerald } from "../../helpers/herald-cli.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

let dataDir: string;
let herald: HeraldProcess;
let env: Record<string, string>;

const cli = (args: string[]) => runHerald(args, env);
const json = <T>(args: string[]) => heraldJson<T>(args, env);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-cli-inventory-"));
  herald = await startHeraldProcess(dataDir);
  env = { HERALD_URL: herald.url, HERALD_TOKEN: herald.printedToken ?? "", HERALD_DATA: dataDir };
  await fetch(`${herald.url}/api/components`, {
    method: "POST",
    headers: { Authorization: `Bearer ${env.HERALD_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Ledger" }),
  });
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("herald inventory and herald checklist", () => {
  it("sets the owner, links and target, ticks by label, and shows the card", async () => {
    expect((await cli(["inventory", "owner", "Ledger", "--team", "Finance platform"])).stdout).toContain(
      "owner Finance platform (team)",
    );
    const links = await cli([
      "inventory",
      "links",
      "ledger",
      "--runbook",
      "https://wiki.example.com/ledger",
      "--target",
      "99.95",
    ]);
    expect(links.code).toBe(0);
    expect((await cli(["inventory", "tick", "Ledger", "A runbook"])).stdout).toContain("checklist 1/6");
    const card = await json<InventoryCard>(["inventory", "show", "Ledger"]);
    expect(card).toMatchObject({ runbook_url: "https://wiki.example.com/ledger", uptime_target: "99.95" });
    expect(card.items.find((i) => i.id === "chk_runbook")?.ticked).not.toBeNull();
    const shown = await cli(["inventory", "show", "Ledger"]);
    expect(shown.stdout).toMatch(/\[x\]\s+A runbook/);
    expect((await cli(["inventory", "list"])).stdout).toMatch(
      /Ledger\s+production\s+Finance platform \(team\)\s+1\/6\s+not ready/,
    );
  });

  it("refuses a bad link and a production move without a reason, readably, with exit code 2", async () => {
    const link = await cli(["inventory", "links", "Ledger", "--dashboard", "javascript:alert(1)"]);
    expect(link.code).toBe(2);
    expect(link.stderr).toContain("--dashboard");
    await cli(["inventory", "stage", "Ledger", "development"]);
    const refused = await cli(["inventory", "stage", "Ledger", "production"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("reason");
    const moved = await cli(["inventory", "stage", "Ledger", "production", "--reason", "Month-end close needs it"]);
    expect(moved.stdout).toContain("Ledger is in production.");
    expect((await cli(["inventory", "show", "Ledger"])).stdout).toContain("development → production by");
  });

  it("adds and removes checklist items", async () => {
    const added = await cli(["checklist", "add", "Load tested", "--position", "1"]);
    expect(added.stdout).toContain('Added "Load tested"');
    let items = await json<ChecklistItemView[]>(["checklist", "list"]);
    expect(items[0]?.label).toBe("Load tested");
    expect((await cli(["checklist", "remove", "load tested"])).code).toBe(0);
    items = await json<ChecklistItemView[]>(["checklist", "list"]);
    expect(items.map((i) => i.label)).not.toContain("Load tested");
  });
});
