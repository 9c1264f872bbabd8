import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { ScheduledUpdateView } from "../../../core/incidents/scheduled-updates.ts";
import type { ScheduledOpeningView } from "../../../core/incidents/stored-openings.ts";
import { heraldJson, runHerald } from "../../helpers/herald-cli.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

let dataDir: string;
let herald: HeraldProcess;
let env: Record<string, string>;

const cli = (args: string[]) => runHerald(args, env);
const json = <T>(args: string[]) => heraldJson<T>(args, env);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-cli-scheduled-"));
  herald = await startHeraldProcess(dataDir);
  env = { HERALD_URL: herald.url, HERALD_TOKEN: herald.printedToken ?? "", HERALD_DATA: dataDir };
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("timed updates and maintenance windows from the CLI", () => {
  it("schedules an update with --at, lists it, and unschedules it", async () => {
    const incident = await json<AdminIncident>(["incident", "open", "--name", "Slow search", "--no-notify"]);
    const timed = await json<ScheduledUpdateView>([
      "incident",
      "update",
      incident.id,
      "--status",
      "monitoring",
      "--body",
      "A fix is rolling out.",
      "--at",
      "now+30m",
    ]);
    expect(timed).toMatchObject({ incident_id: incident.id, status: "monitoring", body: "A fix is rolling out." });
    expect(Date.parse(timed.publish_at)).toBeGreaterThan(Date.now() + 25 * 60_000);

    const all = await json<{ updates: ScheduledUpdateView[] }>(["incident", "scheduled"]);
    expect(all.updates.map((u) => u.id)).toContain(timed.id);
    const mine = await json<ScheduledUpdateView[]>(["incident", "scheduled", "--incident", incident.id]);
    expect(mine.map((u) => u.id)).toEqual([timed.id]);
    const text = await cli(["incident", "scheduled"]);
    expect(text.stdout).toContain(timed.id);

    // Nothing public changed: the incident is still investigating.
    const shown = await json<AdminIncident>(["incident", "show", incident.id]);
    expect(shown.status).toBe("investigating");

    const resolveLater = await json<ScheduledUpdateView>(["incident", "resolve", incident.id, "--at", "now+2h"]);
    expect(resolveLater.status).toBe("resolved");

    const removed = await json<{ id: string; cancelled: boolean }>(["incident", "unschedule", timed.id]);
    expect(removed).toEqual({ id: timed.id, cancelled: true });
    const left = await json<ScheduledUpdateView[]>(["incident", "scheduled", "--incident", incident.id]);
    expect(left.map((u) => u.id)).toEqual([resolveLater.id]);

    const badTime = await cli(["incident", "update", incident.id, "--body", "x", "--at", "in a bit"]);
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toContain("--at takes an ISO time");
    const past = await cli(["incident", "update", incident.id, "--body", "x", "--at", "2020-01-01T00:00:00Z"]);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain("--at");
    const gone = await cli(["incident", "unschedule", timed.id]);
    expect(gone.code).toBe(2);
  });

  it("opens an incident later with --at, lists it beside the timed updates, and unschedules it", async () => {
    const later = await json<ScheduledOpeningView>([
      "incident",
      "open",
      "--name",
      "Planned failover",
      "--status",
      "identified",
      "--body",
      "Moving to the standby region.",
      "--at",
      "now+2h",
    ]);
    expect(later).toMatchObject({ name: "Planned failover", status: "identified", failure: null });
    expect(Date.parse(later.publish_at)).toBeGreaterThan(Date.now() + 115 * 60_000);
    const listed = await json<{ incidents: ScheduledOpeningView[] }>(["incident", "scheduled"]);
    expect(listed.incidents.map((o) => o.id)).toEqual([later.id]);
    const text = await cli(["incident", "scheduled"]);
    expect(text.stdout).toMatch(new RegExp(`${later.id}.*new incident.*Planned failover`));
    const incidents = await json<AdminIncident[]>(["incident", "list"]);
    expect(incidents.map((i) => i.name)).not.toContain("Planned failover");

    const past = await cli(["incident", "open", "--name", "Too late", "--at", "2020-01-01T00:00:00Z"]);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain("--at");
    const removed = await cli(["incident", "unschedule", later.id]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain("will not be opened");
    expect((await json<{ incidents: ScheduledOpeningView[] }>(["incident", "scheduled"])).incidents).toEqual([]);
  });

  it("reschedules, extends and cancels a maintenance", async () => {
    const maintenance = await json<AdminIncident>([
      "maintenance",
      "schedule",
      "--name",
      "Network work",
      "--from",
      "now+2h",
      "--until",
      "now+3h",
      "--no-notify",
    ]);
    // A month ahead, 02:00 UTC: a window starts within a year.
    const day = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString().slice(0, 10);
    const moved = await json<AdminIncident>([
      "maintenance",
      "reschedule",
      maintenance.id,
      "--from",
      `${day}T02:00:00Z`,
      "--until",
      `${day}T04:00:00Z`,
      "--no-notify",
    ]);
    expect(moved).toMatchObject({
      id: maintenance.id,
      scheduled_for: `${day}T02:00:00.000Z`,
      scheduled_until: `${day}T04:00:00.000Z`,
    });
    const longer = await json<AdminIncident>([
      "maintenance",
      "extend",
      maintenance.id,
      "--until",
      `${day}T05:00:00Z`,
      "--no-notify",
    ]);
    expect(longer.scheduled_until).toBe(`${day}T05:00:00.000Z`);
    const shorter = await cli(["maintenance", "extend", maintenance.id, "--until", `${day}T03:00:00Z`]);
    expect(shorter.code).toBe(2);
    expect(shorter.stderr).toContain("--until");
    expect((await cli(["maintenance", "reschedule", maintenance.id])).code).toBe(1);

    const cancelled = await json<AdminIncident>(["maintenance", "cancel", maintenance.id, "--no-notify"]);
    expect(cancelled.cancelled_at).not.toBeNull();
    expect((await cli(["maintenance", "cancel", maintenance.id])).code).toBe(2);
  });

  it("backfills a past incident from a JSON file, and says when the file is unreadable", async () => {
    const file = join(dataDir, "past.json");
    await writeFile(
      file,
      JSON.stringify({
        name: "Old outage",
        started_at: "2026-01-02T10:00:00Z",
        resolved_at: "2026-01-02T11:00:00Z",
        updates: [{ status: "investigating", display_at: "2026-01-02T10:00:00Z", body: "Looking into it." }],
      }),
    );
    const past = await json<AdminIncident>(["incident", "backfill", "--file", file]);
    expect(past).toMatchObject({ name: "Old outage", status: "resolved" });
    const missing = await cli(["incident", "backfill", "--file", join(dataDir, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--file");
  });
});
