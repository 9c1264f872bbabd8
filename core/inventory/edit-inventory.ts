import { eq } from "drizzle-orm";
import { components } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { notFound } from "../actions/errors.ts";
import type { Change } from "../changes/commit.ts";
import type { ComponentRow } from "../model/rows.ts";
import { findInventoryComponent, type InventoryState, loadInventoryState } from "./inventory-state.ts";
import { type InventoryEntry, inventoryEntry } from "./inventory-view.ts";
import { editInventoryInput, setLinksInput, setOwnerInput, setUptimeTargetInput } from "./schemas.ts";

/*
 * The owner, the links and the uptime target: inventory data, shown nowhere public, so these changes
 * touch no page (no render job) and leave the component's `updated_at` (a v2 JSON field) alone.
 */

type Owner = { owner_team: string | null; owner_person_id: string | null };
type Links = { runbook_url?: string | null; repository_url?: string | null; dashboard_url?: string | null };
type Planned = { change: Change | null; row: ComponentRow };

function planOwner(state: InventoryState, row: ComponentRow, owner: Owner): Planned {
  const { owner_team: team, owner_person_id: personId } = owner;
  if (personId !== null) {
    const person = state.people.get(personId);
    if (!person || person.removed)
      throw notFound(`There is no person with id "${personId}" on the team (see GET /api/people).`);
  }
  if (team === row.ownerTeam && personId === row.ownerPersonId) return { change: null, row };
  const set = { ownerTeam: team, ownerPersonId: personId };
  const owner_name = personId === null ? team : (state.people.get(personId)?.name ?? personId);
  return {
    change: componentChange(state, row.id, set, "component.set_owner", { name: row.name, ...owner, owner_name }),
    row: { ...row, ...set },
  };
}

function planLinks(state: InventoryState, row: ComponentRow, links: Links): Planned {
  const set = {
    runbookUrl: links.runbook_url === undefined ? row.runbookUrl : links.runbook_url,
    repositoryUrl: links.repository_url === undefined ? row.repositoryUrl : links.repository_url,
    dashboardUrl: links.dashboard_url === undefined ? row.dashboardUrl : links.dashboard_url,
  };
  const same =
    set.runbookUrl === row.runbookUrl &&
    set.repositoryUrl === row.repositoryUrl &&
    set.dashboardUrl === row.dashboardUrl;
  if (same) return { change: null, row };
  return {
    change: componentChange(state, row.id, set, "component.set_links", { name: row.name, ...links }),
    row: { ...row, ...set },
  };
}

function planUptimeTarget(state: InventoryState, row: ComponentRow, target: string | null): Planned {
  if (target === row.uptimeTarget) return { change: null, row };
  const set = { uptimeTarget: target };
  const details = { name: row.name, from: row.uptimeTarget, to: target };
  return {
    change: componentChange(state, row.id, set, "component.set_uptime_target", details),
    row: { ...row, ...set },
  };
}

function componentChange(
  state: InventoryState,
  id: string,
  set: Partial<ComponentRow>,
  action: string,
  details: Record<string, unknown>,
): Change {
  return {
    statements: [state.db.update(components).set(set).where(eq(components.id, id))],
    audit: { action, targetType: "component", targetId: id, details },
    jobs: [],
  };
}

function outcome(state: InventoryState, planned: Planned[]): Outcome<InventoryEntry> {
  const last = planned.at(-1);
  if (!last) throw new Error("nothing planned");
  const changes = planned.flatMap((p) => (p.change ? [p.change] : []));
  return { changes, result: inventoryEntry(state, last.row) };
}

const load = (ctx: { db: InventoryState["db"] }, input: { id: string }) => loadInventoryState(ctx.db, input.id);

/** Who owns the component: a team by name or a person on the team, or nobody (both null). */
export const setOwner = defineAction({
  name: "component.set_owner",
  role: "commander",
  doing: "set components' owners",
  input: setOwnerInput,
  load,
  plan(state, { id, ...owner }) {
    return outcome(state, [planOwner(state, findInventoryComponent(state, id), owner)]);
  },
});

/** The runbook, repository and dashboard addresses (http or https); a field left out stays, null clears it. */
export const setLinks = defineAction({
  name: "component.set_links",
  role: "commander",
  doing: "set components' links",
  input: setLinksInput,
  load,
  plan(state, { id, ...links }) {
    return outcome(state, [planLinks(state, findInventoryComponent(state, id), links)]);
  },
});

/** The uptime target the review measures the component against ("99.9"); null: none. */
export const setUptimeTarget = defineAction({
  name: "component.set_uptime_target",
  role: "commander",
  doing: "set components' uptime targets",
  input: setUptimeTargetInput,
  load,
  plan(state, { id, uptime_target }) {
    return outcome(state, [planUptimeTarget(state, findInventoryComponent(state, id), uptime_target)]);
  },
});

/** `PATCH /api/components/{id}/inventory`: the owner, links and target given, each part audited as its own action. */
export const editInventory = defineAction({
  name: "component.edit_inventory",
  role: "commander",
  doing: "edit components' inventory",
  input: editInventoryInput,
  load,
  plan(state, { id, owner_team, owner_person_id, uptime_target, ...links }) {
    let row = findInventoryComponent(state, id);
    const planned: Planned[] = [{ change: null, row }];
    const push = (next: Planned) => {
      planned.push(next);
      row = next.row;
    };
    if (owner_team !== undefined || owner_person_id !== undefined) {
      push(planOwner(state, row, { owner_team: owner_team ?? null, owner_person_id: owner_person_id ?? null }));
    }
    if (Object.keys(links).length > 0) push(planLinks(state, row, links));
    if (uptime_target !== undefined) push(planUptimeTarget(state, row, uptime_target));
    return outcome(state, planned);
  },
});
