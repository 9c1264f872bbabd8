import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
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
  dataDir = await mkdtemp(join(tmpdir(), "herald-team-cli-"));
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

const readMail = new Set<string>();

/** Accepts the invitation Herald mailed (into its mail folder) as the invited person's browser would. */
async function acceptInvitation(name: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    for (const file of await readdir(join(dataDir, "mail")).catch(() => [] as string[])) {
      if (readMail.has(file)) continue;
      readMail.add(file);
      const text = (await readFile(join(dataDir, "mail", file), "utf8")).replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      const token = /\/admin\/invitation\?token=([\w.-]+)/.exec(text)?.[1];
      if (!token) continue;
      const accepted = await fetch(`${herald.url}/admin/invitation`, {
        method: "POST",
        redirect: "manual",
        headers: {
          Origin: herald.url,
          "Content-Type": "application/x-www-form-urlencoded",
          "User-Agent": "Firefox/128.0",
        },
        body: new URLSearchParams({ token, name }),
      });
      expect(accepted.status).toBe(303);
      return;
    }
    if (Date.now() > deadline) throw new Error("no invitation mail was written");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("herald person", () => {
  it("invites, lists, shows and ends sessions, changes a role and removes, naming people by email", async () => {
    const invited = await runHerald(["person", "invite", "--email", "Ada@Acme.test", "--role", "commander"], env);
    expect(invited.code, invited.stderr).toBe(0);
    expect(invited.stdout).toContain("Invited ada@acme.test as commander");
    await acceptInvitation("Ada Lovelace");

    const list = await runHerald(["person", "list"], env);
    expect(list.stdout).toMatch(/commander\s+ada@acme\.test\s+Ada Lovelace/);
    const sessions = await runHerald(["person", "sessions", "ada@acme.test"], env);
    expect(sessions.stdout).toContain("Firefox 128");
    const passkeys = await runHerald(["person", "passkeys", "ADA@acme.test"], env);
    expect(passkeys.stdout).toContain("Ada Lovelace has no passkeys.");

    const out = await heraldJson<{ ended: number }>(["person", "sign-out", "ada@acme.test"], env);
    expect(out).toEqual({ ended: 1 });
    expect((await runHerald(["person", "sessions", "ada@acme.test"], env)).stdout).toContain("signed in nowhere");

    const role = await runHerald(["person", "role", "ada@acme.test", "--role", "viewer"], env);
    expect(role.stdout).toContain("Ada Lovelace (ada@acme.test) is now viewer.");
    const removed = await runHerald(["person", "remove", "ada@acme.test"], env);
    expect(removed.code, removed.stderr).toBe(0);
    const gone = await runHerald(["person", "sessions", "ada@acme.test"], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Nobody on the team is "ada@acme.test"');
  });

  it("an unknown session is refused by Herald (exit 2)", async () => {
    await runHerald(["person", "invite", "--email", "bea@acme.test", "--role", "viewer"], env);
    await acceptInvitation("Bea");
    const refused = await runHerald(["person", "sign-out", "bea@acme.test", "--session", "0123456789abcdef"], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("no live session");
  });
});
