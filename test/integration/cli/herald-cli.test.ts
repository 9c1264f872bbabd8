import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { PageSettings } from "../../../core/page/page-settings.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import type { CreatedToken } from "../../../core/tokens/create-token.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

let dataDir: string;
let herald: HeraldProcess;
let adminToken: string;

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the built `herald` command as a user would, against the running server. */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["dist/herald.mjs", ...args], {
      cwd: ROOT,
      env: { ...process.env, HERALD_URL: herald.url, HERALD_TOKEN: adminToken, HERALD_DATA: dataDir, ...env },
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

async function json<T>(args: string[], env: Record<string, string | undefined> = {}): Promise<T> {
  const run = await cli([...args, "--json"], env);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-cli-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  expect(adminToken).toMatch(/^hrld_/);
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("herald against a running server", () => {
  it("shows the overall status as JSON", async () => {
    const summary = await json<{ status: { indicator: string }; page: { name: string } }>(["status"]);
    expect(summary.status.indicator).toBe("none");
    const text = await cli(["status"]);
    expect(text.stdout).toContain("All Systems Operational");
  });

  it("sets a component's status by name, by id, and by Group/Name when the name is ambiguous", async () => {
    const components = await json<V2Component[]>(["components"]);
    const api = components.find((c) => c.name === "API");
    expect(api).toBeDefined();
    const byName = await json<V2Component>(["component", "set", "api", "degraded_performance"]);
    expect(byName).toMatchObject({ id: api?.id, status: "degraded_performance" });
    const byId = await json<V2Component>(["component", "set", api?.id ?? "", "operational"]);
    expect(byId.status).toBe("operational");

    const created = await fetch(`${herald.url}/api/components`, {
      method: "POST",
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Database" }),
    });
    expect(created.status).toBe(201);
    const ambiguous = await cli(["component", "set", "Database", "major_outage"]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(
      /"Database" names 2 components: .*Platform\/Database.*top level.*Use the id or Group\/Name/,
    );
    const grouped = await json<V2Component>(["component", "set", "Platform/Database", "partial_outage"]);
    expect(grouped).toMatchObject({ name: "Database", status: "partial_outage" });
    expect(grouped.group_id).not.toBeNull();

    const unknown = await cli(["component", "set", "Nope", "operational"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No component is named "Nope"');
    const badStatus = await cli(["component", "set", "API", "broken"]);
    expect(badStatus.code).toBe(1);
    expect(badStatus.stderr).toContain("is not a component status");
  });

  it("opens, updates, shows, lists and resolves an incident, components named by name", async () => {
    const opened = await json<AdminIncident>([
      "incident",
      "open",
      "--name",
      "Slow API",
      "--body",
      "We are looking into it.",
      "--component",
      "API=partial_outage",
      "--impact",
      "major",
      "--next-update",
      "30m",
      "--no-notify",
    ]);
    expect(opened).toMatchObject({ name: "Slow API", status: "investigating", impact: "major" });
    expect(opened.next_update_at).not.toBeNull();
    expect(opened.incident_updates[0]?.deliver_notifications).toBe(false);
    expect(opened.components.find((c) => c.name === "API")?.status).toBe("partial_outage");

    const updated = await json<AdminIncident>([
      "incident",
      "update",
      opened.id,
      "--status",
      "monitoring",
      "--body",
      "A fix is deployed.",
      "--next-update",
      "1h",
    ]);
    expect(updated.status).toBe("monitoring");
    const shown = await json<AdminIncident>(["incident", "show", opened.id]);
    expect(shown.incident_updates.map((u) => u.status)).toEqual(["monitoring", "investigating"]);
    const text = await cli(["incident", "show", opened.id]);
    expect(text.stdout).toContain("A fix is deployed.");
    const open = await json<AdminIncident[]>(["incident", "list", "--open"]);
    expect(open.map((i) => i.id)).toContain(opened.id);

    const resolved = await json<AdminIncident>([
      "incident",
      "resolve",
      opened.id,
      "--body",
      "Fixed.",
      "--component",
      "API=operational",
    ]);
    expect(resolved.status).toBe("resolved");
    expect((await json<AdminIncident[]>(["incident", "list", "--open"])).map((i) => i.id)).not.toContain(opened.id);
  });

  it("refuses to resolve a resolved incident (exit 2, the reason printed, nothing posted) and reopens it", async () => {
    const opened = await json<AdminIncident>([
      "incident",
      "open",
      "--name",
      "Login errors",
      "--component",
      "API=major_outage",
    ]);
    await json<AdminIncident>(["incident", "resolve", opened.id]);
    const again = await cli(["incident", "resolve", opened.id]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already resolved");
    const update = await cli(["incident", "update", opened.id, "--status", "identified"]);
    expect(update.code).toBe(2);
    expect(update.stderr).toContain("herald incident reopen");
    expect((await json<AdminIncident>(["incident", "show", opened.id])).incident_updates).toHaveLength(2);

    const reopened = await json<AdminIncident>([
      "incident",
      "reopen",
      opened.id,
      "--status",
      "identified",
      "--body",
      "The errors are back.",
      "--component",
      "API=partial_outage",
    ]);
    expect(reopened).toMatchObject({ status: "identified", resolved_at: null });
    expect(reopened.components.find((c) => c.name === "API")?.status).toBe("partial_outage");
    const twice = await cli(["incident", "reopen", opened.id, "--status", "identified", "--body", "Again."]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("nothing to reopen");
  });

  it("prints the API's field errors by the option that set them, and exits 2", async () => {
    const refused = await cli(["incident", "open", "--name", "X", "--status", "exploded"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HTTP 422/);
    expect(refused.stderr).toMatch(/- --status \(status\): /);
    const missing = await cli(["incident", "open"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--name is required");
    const badDuration = await cli(["incident", "open", "--name", "X", "--next-update", "soon"]);
    expect(badDuration.code).toBe(1);
    expect(badDuration.stderr).toContain("--next-update takes a duration like 30m");
  });

  it("opens an incident from a template with one command, and names a missing variable by its --var", async () => {
    const started = performance.now();
    const opened = await json<AdminIncident>([
      "incident",
      "open",
      "--template",
      "partial-outage",
      "--var",
      "who=customers in Europe",
      "--var",
      "symptoms=errors when saving a=b filters",
      "--component",
      "API=partial_outage",
    ]);
    console.log(
      `herald incident open --template: first update published in ${Math.round(performance.now() - started)} ms`,
    );
    expect(opened).toMatchObject({ name: "Partial outage: API", status: "investigating" });
    expect(opened.components.find((c) => c.name === "API")?.status).toBe("partial_outage");
    expect(opened.next_update_at).not.toBeNull();
    expect(opened.incident_updates[0]?.body).toContain("customers in Europe may see errors when saving a=b filters");

    const resolveFromTemplate = [
      ...["incident", "resolve", opened.id, "--template", "resolved"],
      ...["--var", "what_happened=a bad deploy was rolled back"],
    ];
    const missing = await cli(resolveFromTemplate);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/HTTP 422/);
    expect(missing.stderr).toMatch(
      /variables are not right:\n {2}- --var data_loss \(variables\.data_loss\): required/,
    );
    expect((await json<AdminIncident>(["incident", "show", opened.id])).status).toBe("investigating");
    const badChoice = await cli([
      "incident",
      "update",
      opened.id,
      "--template",
      "resolved",
      "--var",
      "data_loss=maybe",
    ]);
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toMatch(/- --var data_loss \(variables\.data_loss\): must be one of no, yes/);

    const resolved = await json<AdminIncident>([
      ...resolveFromTemplate,
      "--var",
      "data_loss=no",
      "--component",
      "API=operational",
    ]);
    expect(resolved.status).toBe("resolved");
    expect(resolved.name).toBe("Partial outage: API");
    expect(resolved.incident_updates[0]?.body).toContain("No customer data was lost.");

    const withoutTemplate = await cli(["incident", "update", opened.id, "--var", "who=x"]);
    expect(withoutTemplate.code).toBe(1);
    expect(withoutTemplate.stderr).toContain("--var fills in a template");
    const noValue = await cli(["incident", "update", opened.id, "--template", "monitoring", "--var", "who"]);
    expect(noValue.code).toBe(1);
    expect(noValue.stderr).toContain("--var takes KEY=VALUE");
    const reserved = await cli(["incident", "update", opened.id, "--template", "monitoring", "--var", "__proto__=x"]);
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toMatch(/- --var __proto__ \(variables\.__proto__\): "__proto__" is a reserved name/);
  });

  it("lists, shows and previews templates, writing nothing", async () => {
    const templates = await json<{ id: string; kind: string; variables: { name: string }[] }[]>(["template", "list"]);
    expect(templates.find((t) => t.id === "partial-outage")).toMatchObject({ kind: "incident" });
    expect(templates.find((t) => t.id === "maintenance-scheduled")).toMatchObject({ kind: "maintenance" });
    const listed = await cli(["template", "list"]);
    expect(listed.stdout).toMatch(/^resolved\s+incident\s+resolved\s+.*summary, what_happened, data_loss$/m);
    const shown = await cli(["template", "show", "resolved"]);
    expect(shown.stdout).toMatch(/^ {2}data_loss\s+required\s+one of no, yes; Was any customer data lost\?/m);
    expect(shown.stdout).toContain("{{what_happened}}");

    const before = await json<AdminIncident[]>(["incident", "list", "--limit", "500"]);
    const preview = await json<{ title: string; status: string; components: Record<string, string>; body_md: string }>([
      "template",
      "preview",
      "partial-outage",
      "--var",
      "who=people in Asia",
      "--component",
      "API",
    ]);
    const api = (await json<V2Component[]>(["components"])).find((c) => c.name === "API");
    expect(preview).toMatchObject({ title: "Partial outage: API", status: "investigating" });
    expect(preview.components).toEqual({ [api?.id ?? ""]: "partial_outage" });
    expect(preview.body_md).toContain("people in Asia may see errors");
    const text = await cli(["template", "preview", "partial-outage", "--component", "API"]);
    expect(text.stdout).toContain("Partial outage: API");
    expect(text.stdout).toMatch(/^ {2}partial_outage {2}API$/m);
    expect(text.stdout).toContain("Part of API is not working: some customers may see errors.");
    const refused = await cli(["template", "preview", "resolved", "--var", "data_loss=maybe"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/- --var data_loss \(variables\.data_loss\): must be one of no, yes/);
    expect((await json<AdminIncident[]>(["incident", "list", "--limit", "500"])).length).toBe(before.length);
  });

  it("schedules maintenance from a template", async () => {
    const scheduled = await json<AdminIncident>([
      "maintenance",
      "schedule",
      "--template",
      "maintenance-scheduled",
      "--var",
      "work=Network upgrade",
      "--from",
      "now+2h",
      "--until",
      "now+3h",
      "--component",
      "Website",
      "--no-notify",
    ]);
    expect(scheduled).toMatchObject({ kind: "maintenance", status: "scheduled", name: "Network upgrade" });
    expect(scheduled.incident_updates[0]?.body).toContain("planned maintenance on Website from");
  });

  it("schedules and lists maintenance", async () => {
    const scheduled = await json<AdminIncident>([
      "maintenance",
      "schedule",
      "--name",
      "Database upgrade",
      "--from",
      "now+2h",
      "--until",
      "now+4h",
      "--component",
      "Website",
      "--no-notify",
    ]);
    expect(scheduled).toMatchObject({ kind: "maintenance", status: "scheduled", name: "Database upgrade" });
    const listed = await json<AdminIncident[]>(["maintenance", "list"]);
    expect(listed.map((m) => m.id)).toContain(scheduled.id);
    const badTime = await cli(["maintenance", "schedule", "--name", "X", "--from", "tomorrow", "--until", "now+1h"]);
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toContain("--from takes an ISO time");
  });

  it("imports, counts and exports subscribers", async () => {
    const file = join(dataDir, "subscribers.csv");
    await writeFile(file, "address,components\r\nana@example.com,API\r\nnot-an-address,\r\nbo@example.com,\r\n");
    const report = await json<{ accepted: number; refused: { line: number }[] }>(["subscribers", "import", file]);
    expect(report.accepted).toBe(2);
    expect(report.refused.map((r) => r.line)).toEqual([3]);
    const counts = await json<{ total: number; by_state: Record<string, number> }>(["subscribers", "count"]);
    expect(counts.total).toBe(2);
    expect(counts.by_state.active).toBe(2);
    const rows = await json<{ address: string }[]>(["subscribers", "export"]);
    expect(rows.map((r) => r.address).sort()).toEqual(["ana@example.com", "bo@example.com"]);
    const out = join(dataDir, "export.csv");
    await json(["subscribers", "export", "--output", out]);
    expect(await readFile(out, "utf8")).toContain("ana@example.com");
  });

  it("adds the team's webhook, marks and unmarks one, and refuses to mark a subscribe-form webhook", async () => {
    const ours = await json<{ id: string; team: boolean; secret: string }>([
      "webhook",
      "add",
      "--endpoint",
      "https://hooks.example.com/ours",
      "--owner-email",
      "ops@example.com",
      "--format",
      "slack",
      "--team",
    ]);
    expect(ours).toMatchObject({ team: true, secret: expect.stringMatching(/^whsec_/) });
    const theirs = await json<{ id: string; team: boolean }>([
      "webhook",
      "add",
      "--endpoint",
      "https://hooks.example.com/theirs",
      "--owner-email",
      "ops@example.com",
    ]);
    expect(theirs.team).toBe(false);
    expect((await json<{ team: boolean }>(["webhook", "edit", theirs.id, "--team"])).team).toBe(true);
    const unmarked = await cli(["webhook", "edit", theirs.id, "--no-team"]);
    expect(unmarked.code, unmarked.stderr).toBe(0);
    expect(unmarked.stdout).toContain(
      `Webhook ${theirs.id} (json, active) to https://hooks.example.com/theirs: a subscriber.`,
    );
    const listed = await cli(["webhook", "list"]);
    expect(listed.stdout).toMatch(
      new RegExp(`${ours.id}\\s+slack\\s+active\\s+team\\s+https://hooks.example.com/ours`),
    );

    const form = await fetch(`${herald.url}/subscribe`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "someone@example.com", webhook_url: "https://hooks.example.com/form" }),
    });
    expect(form.status).toBe(202);
    const all = await json<{ id: string; url: string }[]>(["webhook", "list"]);
    const strangers = all.find((w) => w.url === "https://hooks.example.com/form")?.id ?? "";
    const refused = await cli(["webhook", "edit", strangers, "--team"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/- --team \(team\): a subscribe-form webhook is never a team destination/);
  });

  it("changes the page settings, refuses an unreadable brand colour, and the public page shows the new name", async () => {
    const set = await json<PageSettings>([
      "page",
      "set",
      "--name",
      "CLI Status",
      "--time-zone",
      "Europe/Berlin",
      "--brand-color",
      "#0B57D0",
      "--default-next-update",
      "45m",
    ]);
    expect(set).toMatchObject({ name: "CLI Status", time_zone: "Europe/Berlin", brand_color: "#0b57d0" });
    expect(set.default_next_update_minutes).toBe(45);
    const shown = await json<PageSettings>(["page", "show"]);
    expect(shown.name).toBe("CLI Status");

    const refused = await cli(["page", "set", "--brand-color", "#ffff00", "--time-zone", "Moon/Base"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/- --brand-color \(brand_color\): #ffff00 has a contrast of 1\.\d+:1/);
    expect(refused.stderr).toMatch(/- --time-zone \(time_zone\): "Moon\/Base" is not an IANA time zone/);

    // The full render switches the live release; the page then carries the new name.
    let html = "";
    for (let i = 0; i < 200 && !html.includes("CLI Status"); i++) {
      html = await (await fetch(`${herald.url}/`)).text();
      if (!html.includes("CLI Status")) await new Promise((r) => setTimeout(r, 100));
    }
    expect(html).toContain("<title>CLI Status</title>");
    expect(html).toContain("Times are shown in Europe/Berlin time.");
  });

  it("a viewer token may read but not change, and the refusal says why", async () => {
    const viewer = await json<CreatedToken>(["token", "create", "--role", "viewer", "--name", "cli viewer"]);
    const asViewer = { HERALD_TOKEN: viewer.token };
    expect((await json<PageSettings>(["page", "show"], asViewer)).name).toBe("CLI Status");
    const refused = await cli(["page", "set", "--name", "Mine"], asViewer);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HTTP 403.*viewer token cannot change the page settings/);

    const tokens = await json<{ id: string; revoked_at: string | null }[]>(["token", "list"]);
    expect(tokens.map((t) => t.id)).toContain(viewer.id);
    const revoked = await json<{ revoked_at: string | null }>(["token", "revoke", viewer.id]);
    expect(revoked.revoked_at).not.toBeNull();
    const after = await cli(["page", "show"], asViewer);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain("HTTP 401");
    expect(after.stderr).toContain("Set HERALD_TOKEN");
  });

  it("token commands go through the API (an admin's token) with HERALD_URL, and to the database without it", async () => {
    const commander = await json<CreatedToken>(["token", "create", "--role", "commander", "--name", "cli commander"]);
    const refused = await cli(["token", "list"], { HERALD_TOKEN: commander.token });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("HTTP 403");

    // No address: the database at HERALD_DATA, no token needed (how the first tokens are made).
    const local = { HERALD_URL: "", HERALD_TOKEN: "" };
    const made = await json<CreatedToken>(["token", "create", "--role", "viewer", "--name", "made locally"], local);
    const listed = await json<{ id: string; name: string }[]>(["token", "list"]);
    expect(listed.find((t) => t.id === made.id)?.name).toBe("made locally");
    const revoked = await json<{ id: string; revoked_at: string | null }>(["token", "revoke", made.id], local);
    expect(revoked.revoked_at).not.toBeNull();
    const gone = await fetch(`${herald.url}/api/page`, { headers: { Authorization: `Bearer ${made.token}` } });
    expect(gone.status).toBe(401);
  });

  it("herald migrate --json answers in JSON too", async () => {
    expect(await json<{ up_to_date: boolean }>(["migrate"])).toEqual({ up_to_date: true });
  });

  it("exits 3 when Herald is unreachable, with the address it tried", async () => {
    const run = await cli(["--url", "http://127.0.0.1:9", "status"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("Cannot reach Herald at http://127.0.0.1:9");
  });
});

describe("herald --help", () => {
  it("every command and subcommand has help, and unknown ones exit 1", async () => {
    const overview = await cli(["--help"]);
    expect(overview.code).toBe(0);
    const commands = [...overview.stdout.matchAll(/^ {2}herald (\S+(?: [a-z]+)?)\s{2,}/gm)].map((m) => m[1] ?? "");
    expect(commands).toEqual(expect.arrayContaining(["status", "component set", "incident open", "page set"]));
    for (const command of commands) {
      const help = await cli([...command.split(" "), "--help"]);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`Usage: herald ${command}`);
      expect(help.stdout, command).toContain("--json");
    }
    for (const group of [
      "incident",
      "component",
      "maintenance",
      "template",
      "subscribers",
      "webhook",
      "page",
      "token",
    ]) {
      const help = await cli([group, "--help"]);
      expect(help.code, group).toBe(0);
      expect(help.stdout).toContain(`herald ${group} `);
    }
    expect((await cli(["incident", "explode"])).code).toBe(1);
    expect((await cli(["frobnicate"])).code).toBe(1);
    expect((await cli(["incident", "open", "--bogus"])).code).toBe(1);
  }, 300_000);
});
