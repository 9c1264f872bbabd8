/**
 * The container image as a self-hoster runs it (docs/deploy-container.md): built from the Containerfile with
 * podman, started on a data volume, healthy, an incident published through the API shows on the page, and a
 * restart on the same volume keeps it. The base is built without a registry (scripts/container/base-image.sh).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort, podman, podmanInstalled, podmanOk, ROOT, run, startedJson, waitFor } from "./podman.ts";

const installed = podmanInstalled();
const IMAGE = "localhost/herald:smoke";
const name = `herald-smoke-${process.pid}`;
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const skipped = installed ? "" : " (skipped: podman is not installed; apt-get install -y podman runc mmdebstrap)";

// CI installs podman (.ci/run): there a missing podman fails rather than skips.
describe.skipIf(!installed && !process.env.CI)(`the container image${skipped}`, () => {
  let url = "";
  let token = "";
  const timings: string[] = [];

  beforeAll(async () => {
    expect(installed, "podman and runc are needed: apt-get install -y podman runc mmdebstrap").toBe(true);
    let since = Date.now();
    const base = await run(`${ROOT}scripts/container/base-image.sh`, []);
    if (base.code !== 0) throw new Error(`The base image did not build:\n${base.stderr}`);
    timings.push(`base ${seconds(since)}`);
    since = Date.now();
    // The host's npm cache serves the build stage's `npm ci`; --format docker keeps the HEALTHCHECK.
    const npmCache = `${homedir()}/.npm`;
    await podmanOk([
      "build",
      "--format",
      "docker",
      "--network",
      "host",
      "--build-arg",
      `BASE=${base.stdout.trim()}`,
      ...(existsSync(npmCache) ? ["--volume", `${npmCache}:/root/.npm`] : []),
      "--tag",
      IMAGE,
      ROOT,
    ]);
    timings.push(`image build ${seconds(since)}`);
    await podman(["rm", "--force", name]);
    await podman(["volume", "rm", "--force", name]);
    await podmanOk(["volume", "create", name]);
  }, 600_000);

  afterAll(async () => {
    await podman(["rm", "--force", "--time", "2", name]);
    await podman(["volume", "rm", "--force", name]);
    // Build stages of earlier source versions; the newest stay as the layer cache of the next build.
    await podman(["image", "prune", "--force", "--filter", "until=24h"]);
    console.log(`container smoke test: ${timings.join(", ")}`);
  }, 60_000);

  async function startContainer(): Promise<Record<string, unknown>> {
    const since = Date.now();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    await podmanOk(
      ["run", "--detach", "--name", name, "--publish", `127.0.0.1:${port}:8787`].concat([
        "--volume",
        `${name}:/data`,
        IMAGE,
        "start",
        "--json",
      ]),
    );
    await waitFor("/healthz", 60_000, async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined));
    const started = await waitFor("the start banner", 10_000, async () => {
      const logs = await podmanOk(["logs", name]);
      return startedJson(logs);
    });
    timings.push(`start to healthy ${seconds(since)}`);
    return started;
  }

  test("starts Herald as a non-root user on its data volume, healthy by the image's own health check", async () => {
    const started = await startContainer();
    expect(started.data).toBe("/data");
    expect(typeof started.admin_token).toBe("string");
    token = String(started.admin_token);

    expect((await podmanOk(["exec", name, "id", "-u"])).trim()).toBe("10001");
    expect((await podman(["healthcheck", "run", name])).code).toBe(0);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
  }, 120_000);

  test("an incident published through the API appears on the status page", async () => {
    const since = Date.now();
    const opened = await fetch(`${url}/api/incidents`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "Checkout errors in the container",
        status: "investigating",
        body: "We are looking into failed payments.",
      }),
    });
    expect(opened.status).toBe(201);
    const { id } = (await opened.json()) as { id: string };

    const page = await waitFor("the incident on the page", 30_000, async () => {
      const html = await (await fetch(`${url}/`)).text();
      return html.includes("Checkout errors in the container") ? html : undefined;
    });
    expect(page).toContain(`/incidents/${id}/`);
    const incidentPage = await (await fetch(`${url}/incidents/${id}/`)).text();
    expect(incidentPage).toContain("We are looking into failed payments.");
    const summary = (await (await fetch(`${url}/api/v2/incidents/unresolved.json`)).json()) as {
      incidents: { id: string }[];
    };
    expect(summary.incidents.map((incident) => incident.id)).toContain(id);
    timings.push(`publish to page ${seconds(since)}`);
  }, 60_000);

  test("stops cleanly, and a new container on the same volume keeps the incident and prints no new token", async () => {
    const since = Date.now();
    await podmanOk(["stop", "--time", "20", name]);
    expect((await podmanOk(["inspect", name, "--format", "{{.State.ExitCode}}"])).trim()).toBe("0");
    timings.push(`stop ${seconds(since)}`);
    await podmanOk(["rm", name]);

    const restarted = await startContainer();
    expect(restarted.admin_token).toBeNull();
    const html = await (await fetch(`${url}/`)).text();
    expect(html).toContain("Checkout errors in the container");
    const incidents = await fetch(`${url}/api/incidents`, { headers: { authorization: `Bearer ${token}` } });
    expect(incidents.status).toBe(200);
  }, 120_000);
});
