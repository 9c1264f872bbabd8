import type { Db } from "../../db/client.ts";
import { listComponents } from "../components/load-components.ts";
import { type IncidentFilter, listIncidents } from "../incidents/load-incidents.ts";
import { getPage } from "../page/get-page.ts";
import type { ComponentRow, IncidentRecord, PageRow } from "../types.ts";

/** The reads most public documents share: the page, its components, and lists of incidents. */
export type PublicReads = {
  db: Db;
  page(): Promise<PageRow>;
  components(): Promise<ComponentRow[]>;
  incidents(filter: IncidentFilter): Promise<IncidentRecord[]>;
  /** Open incidents and maintenances (unresolved, scheduled, in progress): the source of every "now" list. */
  open(): Promise<IncidentRecord[]>;
};

/** Fresh reads on every call: for the live API. */
export function liveReads(db: Db): PublicReads {
  return {
    db,
    page: () => getPage(db),
    components: () => listComponents(db),
    incidents: (filter) => listIncidents(db, filter),
    open: () => listIncidents(db, { open: true }),
  };
}

/**
 * Reads shared by every route of one render pass (the index, the feeds and the 8 JSON documents load
 * the same rows): each distinct read runs once per pass. Never keep one beyond a pass: it would go stale.
 */
export function passReads(db: Db): PublicReads {
  const live = liveReads(db);
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = read();
      cache.set(key, hit);
      hit.catch(() => cache.delete(key));
    }
    return hit;
  };
  return {
    db,
    page: () => once("page", live.page),
    components: () => once("components", live.components),
    incidents: (filter) => once(`incidents:${JSON.stringify(filter)}`, () => live.incidents(filter)),
    open: () => once("open", live.open),
  };
}
