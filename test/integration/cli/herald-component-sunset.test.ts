import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHerald } from "../../helpers/herald-cli.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

let dataDir: string;
let herald: HeraldProcess;
let env: Record<string, string>;

const cli = (args: string[]) => runHerald(args, env);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-cli-sunset-"));
  herald = await startHeraldProcess(dataDir);
  env = { HERALD_URL: herald.url, HERALD_TOKEN: herald.printedToken ?? "", HERALD_DATA: dataDir };
  const response = await fetch(`${herald.url}/api/components`, {
    method: "POST",
    headers: { Authorization: `Bearer ${env.HERALD_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Legacy API" }),
  });
  if (!response.ok) throw new Error(`component: ${response.status}`);
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("herald component deprecate | undeprecate | sunset", () => {
  it("deprecates by name, refuses a past date and a missing message readably, undeprecates and sunsets", async () => {
    const missing = await cli(["component", "deprecate", "Legacy API", "--sunset", "now+30d"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--message");

    const past = await cli([
      "component",
      "deprecate",
      "Legacy API",
      "--sunset",
      "2020-01-01T00:00:00Z",
      "--message",
      "Use v2.",
    ]);
    expect(past.code).not.toBe(0);
    expect(past.stderr).toMatch(/sunset \(sunset_at\): must be in the future/);

    const done = await cli(["component", "deprecate", "Legacy API", "--sunset", "now+30d", "--message", "Use API v2."]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/^Legacy API is deprecated; it leaves the page at 20\d\d-/);

    const again = await cli(["component", "deprecate", "Legacy API", "--sunset", "now+30d", "--message", "Again."]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("already deprecated");

    expect((await cli(["component", "undeprecate", "Legacy API"])).stdout).toContain("back in production");
    const early = await cli(["component", "sunset", "Legacy API"]);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toContain("deprecate it first");

    await cli(["component", "deprecate", "Legacy API", "--sunset", "now+1d", "--message", "Use API v2."]);
    const sunset = await cli(["component", "sunset", "Legacy API"]);
    expect(sunset.code, sunset.stderr).toBe(0);
    expect(sunset.stdout).toContain("Legacy API is sunset");
  }, 120_000);
});
