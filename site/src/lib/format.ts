/**
 * Words the public pages use around their data. Times and statuses are shown by core/presentation, the
 * one module every surface shares; a small inline script (layouts/Base.astro) rewrites each
 * `<time data-local>` into the reader's own zone with the same format.
 */

const UTC_ZONES = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu", "Etc/UCT"]);

/** "Times are shown in UTC." or "… in Europe/Berlin time." (the script then names the reader's zone). */
export function timeZoneNote(timeZone: string): string {
  return UTC_ZONES.has(timeZone) ? "Times are shown in UTC." : `Times are shown in ${timeZone} time.`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

/** "3 incidents and 1 maintenance", "1 maintenance", "2 incidents": what a month of history holds. */
export function eventCounts(counts: { incidents: number; maintenances: number }): string {
  const parts = [
    counts.incidents > 0 || counts.maintenances === 0 ? plural(counts.incidents, "incident") : "",
    counts.maintenances > 0 ? plural(counts.maintenances, "maintenance") : "",
  ].filter(Boolean);
  return parts.join(" and ");
}
