import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SsoSettings } from "../../../core/people/sso/sso-settings.ts";
import { heraldJson, runHerald } from "../../helpers/herald-cli.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

let dataDir: string;
let herald: HeraldProcess;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-sso-cli-"));
  herald = await startHeraldProcess(dataDir);
  env = { HERALD_URL: herald.url, HERALD_TOKEN: herald.printedToken ?? "", HERALD_DATA: dataDir };
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("herald sso", () => {
  it("shows and sets the allowed domains and a new person's role", async () => {
    const shown = await runHerald(["sso", "show"], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("Allowed domains:      none (only people already on the team)");
    expect(shown.stdout).toContain("Role of a new person: viewer");

    const set = await runHerald(["sso", "set", "--domains", "Acme.com, acme.io", "--default-role", "commander"], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("Allowed domains:      acme.com, acme.io");
    expect(await heraldJson<SsoSettings>(["sso", "show"], env)).toEqual({
      domains: ["acme.com", "acme.io"],
      default_role: "commander",
    });

    const roleOnly = await heraldJson<SsoSettings>(["sso", "set", "--default-role", "viewer"], env);
    expect(roleOnly).toEqual({ domains: ["acme.com", "acme.io"], default_role: "viewer" });
    const none = await heraldJson<SsoSettings>(["sso", "set", "--domains", ""], env);
    expect(none.domains).toEqual([]);
  });

  it("a domain that is not one is refused with the option named; nothing changes", async () => {
    const refused = await runHerald(["sso", "set", "--domains", "acme.com,https://evil.test/x"], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--domains");
    expect(refused.stderr).toContain("not a domain");
    expect((await heraldJson<SsoSettings>(["sso", "show"], env)).domains).toEqual([]);
    const nothing = await runHerald(["sso", "set"], env);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("Give --domains, --default-role or both");
  });
});
