import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHerald } from "../../helpers/herald-cli.ts";
import { startHeraldProcess } from "../../helpers/herald-process.ts";

/* `herald init` on a local file, as a self-hoster would run it before the first `herald start`. */

type Initialized = {
  created: boolean;
  already_set_up: boolean;
  page: { name: string; url: string; api_url: string | null };
  admin_token: string | null;
};

describe("herald init on a local database file", () => {
  let dir = "";
  const env = () => ({ HERALD_DATA: dir, DATABASE_URL: "", PUBLIC_URL: "", PUBLIC_API_URL: "", HERALD_SECRET: "" });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "herald-init-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses bad flags with a readable message and exit 1, creating nothing", async () => {
    const badUrl = await runHerald(["init", "--public-url", "status.acme.test"], env());
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain(
      '--public-url must be an absolute URL like https://api.example.com, not "status.acme.test"',
    );
    const unknown = await runHerald(["init", "--demo"], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Run `herald init --help`");
    const stray = await runHerald(["init", "now"], env());
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain("takes no arguments");
    expect(existsSync(join(dir, "herald.db"))).toBe(false);
  });

  it("sets up the page and prints the first admin token once; run again it only migrates", async () => {
    const first = await runHerald(
      ["init", "--name", "Acme", "--public-url", "https://status.acme.test/", "--api-url", "https://api.acme.test"],
      env(),
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("Acme  https://status.acme.test");
    expect(first.stdout).toContain("API:   https://api.acme.test");
    expect(first.stdout).toMatch(/shown once[^\n]*\n\s+hrld_\w+/);

    const again = await runHerald(["init", "--json"], env());
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout) as Initialized;
    expect(result).toEqual({
      created: false,
      already_set_up: true,
      page: { name: "Acme", url: "https://status.acme.test", api_url: "https://api.acme.test" },
      admin_token: null,
    });
  });

  it("then herald start serves that page: no demo data, no second token, the printed token works", async () => {
    const fresh = await mkdtemp(join(tmpdir(), "herald-init-start-"));
    try {
      const init = await runHerald(["init", "--name", "Acme", "--json"], { ...env(), HERALD_DATA: fresh });
      expect(init.code, init.stderr).toBe(0);
      const token = (JSON.parse(init.stdout) as Initialized).admin_token ?? "";
      expect(token).toMatch(/^hrld_/);

      const herald = await startHeraldProcess(fresh, { DATABASE_URL: "", PUBLIC_URL: "", HERALD_SECRET: "" });
      try {
        expect(herald.printedToken).toBeNull();
        expect(herald.output()).not.toContain("demo page");
        const auth = { Authorization: `Bearer ${token}` };
        expect(await (await fetch(`${herald.url}/api/components`, { headers: auth })).json()).toEqual([]);
        const templates = (await (await fetch(`${herald.url}/api/templates`, { headers: auth })).json()) as unknown[];
        expect(templates.length).toBeGreaterThan(0);
        const index = await (await fetch(`${herald.url}/`)).text();
        expect(index).toContain("Acme");
      } finally {
        await herald.stop();
      }
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
