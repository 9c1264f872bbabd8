import type { Db } from "../../db/client.ts";
import { listComponents } from "../components/load-components.ts";
import {
  type IncidentFilter,
  listIncidentRows,
  listIncidents,
  loadIncidentRecords,
} from "../incidents/load-incidents.ts";
import type { ComponentRow, IncidentRecord, IncidentRow, PageRow } from "../model/rows.ts";
import { getPage } from "../page/get-page.ts";

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
 * the same rows): each distinct read runs once per pass, and an incident's timeline is loaded once
 * whichever lists hold it (the feed's 50 and `incidents.json`'s 50 are mostly the same incidents).
 * Never keep one beyond a pass: it would go stale.
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
  const records = passRecords(db);
  return {
    db,
    page: () => once("page", live.page),
    components: () => once("components", live.components),
    incidents: (filter) =>
      once(`incidents:${JSON.stringify(filter)}`, async () =>
        records(await listIncidentRows(db, filter), filter.latestUpdateOnly === true),
      ),
    open: () => once("open", async () => records(await listIncidentRows(db, { open: true }), false)),
  };
}

/**
 * Loads incident records for one pass, each full timeline once: a row seen again (same id and
 * `updated_at`, which every change to an incident or its updates moves) gets the record already loaded.
 * A latest-update-only list takes a loaded timeline's newest update, exactly what its own load returns,
 * and loads only what no list of the pass has loaded yet.
 */
function passRecords(db: Db): (rows: IncidentRow[], latestOnly: boolean) => Promise<IncidentRecord[]> {
  const full = new Map<string, Promise<IncidentRecord | undefined>>();
  const keyOf = (row: IncidentRow) => `${row.id}@${row.updatedAt}`;
  return async (rows, latestOnly) => {
    const missing = rows.filter((row) => !full.has(keyOf(row)));
    let latest = new Map<string, IncidentRecord>();
    if (latestOnly) {
      const loaded = await loadIncidentRecords(db, missing, { latestUpdateOnly: true });
      latest = new Map(loaded.map((record) => [keyOf(record), record]));
    } else if (missing.length > 0) {
      const loading = loadIncidentRecords(db, missing);
      loading.catch(() => {
        for (const row of missing) full.delete(keyOf(row));
      });
      for (const [i, row] of missing.entries())
        full.set(
          keyOf(row),
          loading.then((loaded) => loaded[i]),
        );
    }
    return Promise.all(
      rows.map(async (row) => {
        const record = latest.get(keyOf(row)) ?? (await full.get(keyOf(row)));
        if (!record) throw new Error(`The timeline of incident ${row.id} was not loaded.`);
        const shown =
          latestOnly && !latest.has(keyOf(row)) ? { ...record, updates: record.updates.slice(0, 1) } : record;
        return { ...shown, ...row };
      }),
    );
  };
}
