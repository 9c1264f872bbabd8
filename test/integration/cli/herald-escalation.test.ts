import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../../db/client.ts";
import { people } from "../../../db/schema.ts";
import { heraldJson, runHerald } from "../../helpers/herald-cli.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

/** `herald incident commander|acknowledge` and `herald escalation-policy show|set` against the built Herald. */

let dataDir: string;
let herald: HeraldProcess;
let db: Db;
let env: Record<string, string>;
const ann = { id: "annperson001", name: "Ann Archer", email: "ann@acme.test", role: "commander" as const };
const bob = { id: "bobperson002", name: "Bob Baker", email: "bob@acme.test", role: "admin" as const };

const cli = (args: string[]) => runHerald(args, env);
const json = <T>(args: string[]) => heraldJson<T>(args, env);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-cli-escalation-"));
  herald = await startHeraldProcess(dataDir);
  env = { HERALD_URL: herald.url, HERALD_TOKEN: herald.printedToken ?? "", HERALD_DATA: dataDir };
  db = createDb({ url: `file:${join(dataDir, "herald.db")}` });
  // Two people as accepted invitations leave them (the invitation flow has its own tests).
  const at = new Date().toISOString();
  await db.insert(people).values([ann, bob].map((p) => ({ ...p, createdAt: at, updatedAt: at })));
}, 60_000);

afterAll(async () => {
  db?.$client.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

type Incident = { id: string; commander_id: string | null; next_update_at: string | null };

describe("herald incident commander / acknowledge", () => {
  it("hands an incident over by email or id, and acknowledges a promise", async () => {
    const opened = await json<Incident>(["incident", "open", "--name", "Slow search", "--body", "Looking."]);
    expect(opened.commander_id).toBeNull();

    const byEmail = await cli(["incident", "commander", opened.id, "ANN@acme.test"]);
    expect(byEmail.code, byEmail.stderr).toBe(0);
    expect(byEmail.stdout).toContain("Incident Commander: Ann Archer <ann@acme.test>");
    const byId = await json<Incident>(["incident", "commander", opened.id, bob.id]);
    expect(byId.commander_id).toBe(bob.id);

    const before = Date.now();
    const acknowledged = await json<Incident>(["incident", "acknowledge", opened.id, "--minutes", "15"]);
    const due = Date.parse(acknowledged.next_update_at ?? "");
    expect(due).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);
  });

  it("says what is wrong in words: an unknown person, a bad number, a closed incident", async () => {
    const opened = await json<Incident>(["incident", "open", "--name", "Queue delays", "--body", "Looking."]);
    const stranger = await cli(["incident", "commander", opened.id, "eve@acme.test"]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain('nobody on the team is "eve@acme.test"');

    const soon = await cli(["incident", "acknowledge", opened.id, "--minutes", "soon"]);
    expect(soon.code).toBe(1);
    expect(soon.stderr).toContain("--minutes must be a whole number of minutes");
    const tooLong = await cli(["incident", "acknowledge", opened.id, "--minutes", "5000"]);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain("--minutes");

    await json(["incident", "resolve", opened.id, "--body", "Fixed."]);
    const closed = await cli(["incident", "commander", opened.id, ann.email]);
    expect(closed.code).toBe(2);
    expect(closed.stderr).toContain("A closed incident has no commander to hand over; reopen it first.");
  });
});

describe("herald escalation-policy", () => {
  it("sets the policy from YAML with people by email, shows it, and removes it with an empty list", async () => {
    const file = join(dataDir, "policy.yaml");
    await writeFile(
      file,
      [
        "levels:",
        "  - {delay_minutes: 10, person_ids: [], team_channels: [team_webhooks], daytime_only: true}",
        `  - {delay_minutes: 20, person_ids: [${bob.email}], team_channels: [team_email], daytime_only: false}`,
      ].join("\n"),
    );
    const set = await cli(["escalation-policy", "set", "--file", file]);
    expect(set.code, set.stderr).toBe(0);
    const shown = await cli(["escalation-policy", "show"]);
    expect(shown.stdout).toContain("level 1  10 min later, daytime only: the team's chat");
    expect(shown.stdout).toContain("level 2  20 min later: Bob Baker <bob@acme.test>, the team address");
    const stored = await json<{ levels: { person_ids: string[] }[] }>(["escalation-policy", "show"]);
    expect(stored.levels[1]?.person_ids).toEqual([bob.id]);

    const empty = join(dataDir, "empty.json");
    await writeFile(empty, JSON.stringify({ levels: [] }));
    expect((await cli(["escalation-policy", "set", "--file", empty])).code).toBe(0);
    expect((await cli(["escalation-policy", "show"])).stdout).toContain("No escalation policy");
  });

  it("refuses a file it cannot read or a level that tells nobody, and keeps the policy", async () => {
    const file = join(dataDir, "one.json");
    await writeFile(
      file,
      JSON.stringify({
        levels: [{ delay_minutes: 5, person_ids: [], team_channels: ["team_email"], daytime_only: false }],
      }),
    );
    expect((await cli(["escalation-policy", "set", "--file", file])).code).toBe(0);

    const broken = join(dataDir, "broken.yaml");
    await writeFile(broken, "levels: [\n");
    const unreadable = await cli(["escalation-policy", "set", "--file", broken]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain("cannot read YAML or JSON");

    const nobody = join(dataDir, "nobody.json");
    await writeFile(
      nobody,
      JSON.stringify({ levels: [{ delay_minutes: 5, person_ids: [], team_channels: [], daytime_only: false }] }),
    );
    const refused = await cli(["escalation-policy", "set", "--file", nobody]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("names no person and no team channel");
    const kept = await json<{ levels: { delay_minutes: number }[] }>(["escalation-policy", "show"]);
    expect(kept.levels).toMatchObject([{ delay_minutes: 5 }]);
  });
});
