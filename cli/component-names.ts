import { listComponentsRoute } from "../api/routes/components.ts";
import { COMPONENT_STATUSES, isComponentStatus } from "../core/model/statuses.ts";
import type { V2Component } from "../core/public/statuspage.ts";
import type { Api } from "./api-client.ts";
import { UsageError } from "./command.ts";

const fold = (text: string) => text.normalize("NFC").trim().toLocaleLowerCase("en-US");

/** A component named by id, by name (any case), or as `Group/Name` when two share a name. */
export function resolveComponent(all: V2Component[], reference: string): V2Component {
  const byId = all.find((c) => c.id === reference);
  if (byId) return byId;
  const groupName = (c: V2Component) => all.find((g) => g.id === c.group_id)?.name;
  const wanted = fold(reference);
  let matches = all.filter((c) => fold(c.name) === wanted);
  if (matches.length === 0 && reference.includes("/")) {
    matches = all.filter((c) => c.group_id && fold(`${groupName(c)}/${c.name}`) === wanted);
  }
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) {
    const names = all.filter((c) => !c.group).map((c) => c.name);
    throw new UsageError(`No component is named "${reference}". Components: ${names.join(", ") || "(none yet)"}.`);
  }
  const where = (c: V2Component) => (c.group_id ? `"${groupName(c)}/${c.name}"` : "top level");
  throw new UsageError(
    `"${reference}" names ${matches.length} components: ${matches.map((c) => `${c.id} (${where(c)})`).join(", ")}. ` +
      "Use the id or Group/Name.",
  );
}

export function checkComponentStatus(status: string): string {
  if (!isComponentStatus(status)) {
    throw new UsageError(`"${status}" is not a component status; use one of ${COMPONENT_STATUSES.join(", ")}.`);
  }
  return status;
}

export async function loadComponents(api: Api): Promise<V2Component[]> {
  return api.run(listComponentsRoute, {});
}

/** `--component NAME=STATUS` (or `NAME` alone, meaning `fallbackStatus`) → the API's id → status map. */
export async function componentStatuses(
  api: Api,
  pairs: string[],
  fallbackStatus?: string,
): Promise<Record<string, string> | undefined> {
  if (pairs.length === 0) return undefined;
  const all = await loadComponents(api);
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf("=");
    const name = at === -1 ? pair : pair.slice(0, at);
    const status = at === -1 ? fallbackStatus : pair.slice(at + 1);
    if (!name || !status) {
      throw new UsageError(`--component takes NAME=STATUS, e.g. --component "API=partial_outage" (got "${pair}").`);
    }
    result[resolveComponent(all, name).id] = checkComponentStatus(status);
  }
  return result;
}

/**
 * `--component` for a post. With a template, names alone (`--component API`) go as a list of ids, each
 * given the template's component status; otherwise as `componentStatuses`.
 */
export async function postComponents(
  api: Api,
  pairs: string[],
  fromTemplate: boolean,
  fallbackStatus?: string,
): Promise<Record<string, string> | string[] | undefined> {
  if (!fromTemplate || pairs.length === 0 || pairs.some((pair) => pair.includes("="))) {
    return componentStatuses(api, pairs, fromTemplate ? undefined : fallbackStatus);
  }
  const all = await loadComponents(api);
  return pairs.map((name) => resolveComponent(all, name).id);
}
