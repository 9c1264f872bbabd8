import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import type {
  ChecklistItemView,
  Inventory,
  InventoryCard,
  InventoryEntry,
} from "../../../core/inventory/inventory-view.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { diffSnapshots, snapshotDb } from "../../helpers/db-snapshot.ts";
import { joinTeam } from "../people/people-helpers.ts";

let api: TestApi;
let search: V2Component;
let billing: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  const group = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Backend", group: true } }))
    .body;
  search = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Search", group_id: group.id } }))
    .body;
  billing = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Billing" } })).body;
});
afterEach(() => api.cleanup());

type Audit = { action: string; actor: string; target_id: string; details: Record<string, unknown> }[];
const audit = async () => (await api.request<Audit>("GET", "/api/audit", { as: "admin" })).body;
const inventory = async () => (await api.request<Inventory>("GET", "/api/inventory", { as: "viewer" })).body;
const card = async (id: string) =>
  (await api.request<InventoryCard>("GET", `/api/components/${id}/inventory`, { as: "viewer" })).body;
const tick = (id: string, item: string) =>
  api.request<InventoryEntry>("PUT", `/api/components/${id}/checklist/${item}`);
type Refusal = Problem & { errors: { path: string }[] };
const move = (id: string, json: Record<string, unknown>) =>
  api.request<InventoryEntry & Refusal>("POST", `/api/components/${id}/stage`, { json });
const DEFAULT_ITEMS = ["chk_repository", "chk_runbook", "chk_staging", "chk_alerts", "chk_on_call", "chk_backups"];

describe("the inventory", () => {
  it("lists every component (not groups) in production, unowned, with the six default checklist items unticked", async () => {
    const listed = await inventory();
    expect(listed.checklist.map((item) => item.id)).toEqual(DEFAULT_ITEMS);
    expect(listed.components.map((c) => c.name)).toEqual(["Search", "Billing"]);
    for (const entry of listed.components) {
      expect(entry).toMatchObject({ stage: "production", owner: null, runbook_url: null, uptime_target: null });
      expect(entry.checklist).toMatchObject({ done: 0, total: 6 });
      expect(entry.checklist.missing.map((m) => m.label)[1]).toBe("A runbook");
    }
    expect(listed.not_ready.production).toEqual([search.id, billing.id]);
  });

  it("sets a team owner, links and an uptime target, each audited, and changes nothing public", async () => {
    const v2Before = (await api.request("GET", "/api/v2/components.json", { as: null })).body;
    const answer = await api.request<InventoryEntry>("PATCH", `/api/components/${search.id}/inventory`, {
      json: {
        owner_team: "  Search team ",
        runbook_url: "https://wiki.example.com/runbooks/search",
        repository_url: "https://git.example.com/search",
        uptime_target: "99.95",
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      owner: { kind: "team", name: "Search team" },
      runbook_url: "https://wiki.example.com/runbooks/search",
      repository_url: "https://git.example.com/search",
      dashboard_url: null,
      uptime_target: "99.95",
    });
    expect((await card(search.id)).owner?.name).toBe("Search team");
    const actions = (await audit()).filter((a) => a.target_id === search.id).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(["component.set_owner", "component.set_links", "component.set_uptime_target"]),
    );
    expect((await api.request("GET", "/api/v2/components.json", { as: null })).body).toEqual(v2Before);
  });

  it("takes a person on the team as owner, and refuses an unknown person", async () => {
    await joinTeam(api, "ada@example.com", "Ada Lovelace", "commander");
    const people = (
      await api.request<{ people: { id: string; name: string }[] }>("GET", "/api/people", { as: "admin" })
    ).body;
    const ada = people.people.find((p) => p.name === "Ada Lovelace");
    if (!ada) throw new Error("Ada did not join");
    const owned = await api.request<InventoryEntry>("PATCH", `/api/components/${billing.id}/inventory`, {
      json: { owner_person_id: ada.id },
    });
    expect(owned.body.owner).toEqual({ kind: "person", id: ada.id, name: "Ada Lovelace", removed: false });
    const before = await snapshotDb(api.db, ["api_tokens.last_used_at"]);
    const unknown = await api.request<Problem>("PATCH", `/api/components/${billing.id}/inventory`, {
      json: { owner_person_id: "nobody000000" },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain("nobody000000");
    const both = await api.request<Problem>("PATCH", `/api/components/${billing.id}/inventory`, {
      json: { owner_team: "Payments", owner_person_id: ada.id },
    });
    expect(both.status).toBe(422);
    expect(diffSnapshots(before, await snapshotDb(api.db, ["api_tokens.last_used_at"]))).toEqual([]);
  });

  it("refuses links that are not http or https and targets out of range, with the field named", async () => {
    for (const [json, field] of [
      [{ runbook_url: "javascript:alert(1)" }, "runbook_url"],
      [{ dashboard_url: "ftp://files.example.com/x" }, "dashboard_url"],
      [{ repository_url: "not a url" }, "repository_url"],
      [{ uptime_target: "0" }, "uptime_target"],
      [{ uptime_target: "100.5" }, "uptime_target"],
      [{ uptime_target: "ninety" }, "uptime_target"],
    ] as const) {
      const answer = await api.request<Problem & { errors: { path: string }[] }>(
        "PATCH",
        `/api/components/${search.id}/inventory`,
        { json },
      );
      expect(answer.status, JSON.stringify(json)).toBe(422);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
      expect(answer.body.errors.map((e) => e.path)).toContain(field);
    }
    expect((await card(search.id)).runbook_url).toBeNull();
  });

  it("a viewer cannot edit the inventory; a commander cannot change the checklist", async () => {
    const viewer = await api.request("PATCH", `/api/components/${search.id}/inventory`, {
      as: "viewer",
      json: { owner_team: "X" },
    });
    expect(viewer.status).toBe(403);
    const commander = await api.request("POST", "/api/checklist-items", { as: "commander", json: { label: "SLOs" } });
    expect(commander.status).toBe(403);
  });
});

describe("ticks and stages", () => {
  it("keeps who ticked an item and when; unticking removes it", async () => {
    api.clock.set("2026-12-01T10:00:00Z");
    const ticked = await tick(search.id, "chk_runbook");
    expect(ticked.status).toBe(200);
    expect(ticked.body.checklist.done).toBe(1);
    const item = (await card(search.id)).items.find((i) => i.id === "chk_runbook");
    expect(item?.ticked).toMatchObject({ at: "2026-12-01T10:00:00.000Z" });
    expect(item?.ticked?.by).toBeTruthy();
    api.clock.set("2026-12-02T10:00:00Z");
    await tick(search.id, "chk_runbook");
    expect((await card(search.id)).items.find((i) => i.id === "chk_runbook")?.ticked?.at).toBe(
      "2026-12-01T10:00:00.000Z",
    );
    const unticked = await api.request<InventoryEntry>("DELETE", `/api/components/${search.id}/checklist/chk_runbook`);
    expect(unticked.body.checklist.done).toBe(0);
    expect((await tick(search.id, "chk_nothing")).status).toBe(404);
    const actions = (await audit()).map((a) => a.action);
    expect(actions.filter((a) => a === "component.tick_item")).toHaveLength(1);
    expect(actions).toContain("component.untick_item");
  });

  it("moves among prototype, development and production; production with unticked items needs a reason, kept", async () => {
    expect((await move(search.id, { stage: "prototype" })).body.stage).toBe("prototype");
    expect((await move(search.id, { stage: "development" })).body.stage).toBe("development");
    const before = await snapshotDb(api.db, ["api_tokens.last_used_at"]);
    const refused = await move(search.id, { stage: "production" });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("A runbook");
    expect(refused.body.errors.map((e) => e.path)).toEqual(["reason"]);
    expect((await move(search.id, { stage: "production", reason: "   " })).status).toBe(422);
    expect(diffSnapshots(before, await snapshotDb(api.db, ["api_tokens.last_used_at"]))).toEqual([]);

    const moved = await move(search.id, { stage: "production", reason: "Launch day; runbook written this week" });
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe("production");
    const changes = (await card(search.id)).stage_changes;
    expect(changes.map((c) => `${c.from}→${c.to}`)).toEqual([
      "development→production",
      "prototype→development",
      "production→prototype",
    ]);
    expect(changes[0]?.reason).toBe("Launch day; runbook written this week");
    const line = (await audit()).find((a) => a.action === "component.move_stage" && a.details.to === "production");
    expect(line?.details).toMatchObject({ reason: "Launch day; runbook written this week", unticked: DEFAULT_ITEMS });
  });

  it("moves to production without a reason once every item is ticked", async () => {
    await move(billing.id, { stage: "development" });
    for (const item of DEFAULT_ITEMS) await tick(billing.id, item);
    const moved = await move(billing.id, { stage: "production" });
    expect(moved.status).toBe(200);
    expect((await inventory()).not_ready.production).toEqual([search.id]);
  });

  it("refuses deprecated and sunset as targets, pointing to the deprecation route", async () => {
    for (const stage of ["deprecated", "sunset"]) {
      const refused = await move(search.id, { stage });
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toContain(`/api/components/${search.id}/deprecate`);
    }
  });

  it("shows development components close to ready as not ready (at most a third of the checklist missing)", async () => {
    await move(billing.id, { stage: "development" });
    for (const item of DEFAULT_ITEMS.slice(0, 3)) await tick(billing.id, item);
    expect((await inventory()).not_ready.development).toEqual([]);
    await tick(billing.id, DEFAULT_ITEMS[3] ?? "");
    expect((await inventory()).not_ready.development).toEqual([billing.id]);
  });
});

describe("the production checklist", () => {
  it("an admin adds, renames, reorders and deletes items; deleting one removes its ticks", async () => {
    const added = await api.request<ChecklistItemView>("POST", "/api/checklist-items", {
      as: "admin",
      json: { label: "SLOs written down", position: 2 },
    });
    expect(added.status).toBe(201);
    expect(added.body.position).toBe(2);
    let items = (await api.request<ChecklistItemView[]>("GET", "/api/checklist-items", { as: "viewer" })).body;
    expect(items.map((i) => i.label).slice(0, 3)).toEqual([
      "Code visible in a repository",
      "SLOs written down",
      "A runbook",
    ]);
    expect(items.map((i) => i.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const moved = await api.request<ChecklistItemView>("PATCH", `/api/checklist-items/${added.body.id}`, {
      as: "admin",
      json: { position: 7, label: "SLOs agreed" },
    });
    expect(moved.body).toMatchObject({ label: "SLOs agreed", position: 7 });
    items = (await api.request<ChecklistItemView[]>("GET", "/api/checklist-items", { as: "viewer" })).body;
    expect(items.at(-1)?.label).toBe("SLOs agreed");
    expect(items.map((i) => i.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    await tick(search.id, added.body.id);
    expect((await card(search.id)).checklist).toMatchObject({ done: 1, total: 7 });
    expect((await api.request("DELETE", `/api/checklist-items/${added.body.id}`, { as: "admin" })).status).toBe(204);
    expect((await card(search.id)).checklist).toMatchObject({ done: 0, total: 6 });
    const line = (await audit()).find((a) => a.action === "checklist_item.delete");
    expect(line?.details).toMatchObject({ label: "SLOs agreed", ticks_removed: 1 });
  });
});
