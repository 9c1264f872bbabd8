/**
 * Presentation helpers for the public pages. Pure and deterministic: every time shown comes from the
 * data, formatted in UTC so a page renders to the same bytes until its data changes. A small inline
 * script (see layouts/Base.astro) rewrites `<time data-local>` into the reader's own time zone.
 */

const UTC_DATE_TIME = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

const UTC_TIME = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "Nov 26, 2026, 10:04 UTC" */
export function formatUtc(iso: string): string {
  return `${UTC_DATE_TIME.format(new Date(iso))} UTC`;
}

/** "10:04 UTC" */
export function formatUtcTime(iso: string): string {
  return `${UTC_TIME.format(new Date(iso))} UTC`;
}

/** Zones whose times read "UTC" (the default page shows the same bytes as before zones were settable). */
const UTC_ZONES = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu", "Etc/UCT"]);
const zoneFormats = new Map<
  string,
  { dateTime: Intl.DateTimeFormat; time: Intl.DateTimeFormat; day: Intl.DateTimeFormat }
>();

function zoneFormat(timeZone: string) {
  let formats = zoneFormats.get(timeZone);
  if (!formats) {
    const time = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } as const;
    const date = { month: "short", day: "numeric", year: "numeric" } as const;
    formats = {
      dateTime: new Intl.DateTimeFormat("en-US", { timeZone, ...date, ...time }),
      time: new Intl.DateTimeFormat("en-US", { timeZone, ...time }),
      day: new Intl.DateTimeFormat("en-US", { timeZone, ...date }),
    };
    zoneFormats.set(timeZone, formats);
  }
  return formats;
}

/** "Nov 26, 2026, 11:04 GMT+1" in the page's zone; "Nov 26, 2026, 10:04 UTC" in UTC. */
export function formatInZone(iso: string, timeZone: string): string {
  return UTC_ZONES.has(timeZone) ? formatUtc(iso) : zoneFormat(timeZone).dateTime.format(new Date(iso));
}

/** "11:04 GMT+1" in the page's zone; "10:04 UTC" in UTC. */
export function formatTimeInZone(iso: string, timeZone: string): string {
  return UTC_ZONES.has(timeZone) ? formatUtcTime(iso) : zoneFormat(timeZone).time.format(new Date(iso));
}

/** Whether two times fall on the same calendar day in `timeZone`. */
export function sameDayInZone(a: string, b: string, timeZone: string): boolean {
  if (UTC_ZONES.has(timeZone)) return sameUtcDay(a, b);
  const { day } = zoneFormat(timeZone);
  return day.format(new Date(a)) === day.format(new Date(b));
}

/** "Times are shown in UTC." or "… in Europe/Berlin time." (the script then names the reader's zone). */
export function timeZoneNote(timeZone: string): string {
  return UTC_ZONES.has(timeZone) ? "Times are shown in UTC." : `Times are shown in ${timeZone} time.`;
}

export function sameUtcDay(a: string, b: string): boolean {
  return new Date(a).toISOString().slice(0, 10) === new Date(b).toISOString().slice(0, 10);
}

/** "45 min", "2 h 14 min", "3 d 4 h"; under a minute reads "under a minute". */
export function formatDuration(fromIso: string, toIso: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
  if (minutes < 1) return "under a minute";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

const UTC_MONTH = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "long", year: "numeric" });

/** "November 2026" for a time's UTC month: the month a history page lists it under. */
export function formatUtcMonth(iso: string): string {
  return UTC_MONTH.format(new Date(iso));
}

/** "3 incidents and 1 maintenance", "1 maintenance", "2 incidents": what a month of history holds. */
export function eventCounts(counts: { incidents: number; maintenances: number }): string {
  const parts = [
    counts.incidents > 0 || counts.maintenances === 0 ? plural(counts.incidents, "incident") : "",
    counts.maintenances > 0 ? plural(counts.maintenances, "maintenance") : "",
  ].filter(Boolean);
  return parts.join(" and ");
}

const UTC_DAY = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });

/** "Aug 29" for a `YYYY-MM-DD` UTC day. */
export function formatUtcDay(date: string): string {
  return UTC_DAY.format(new Date(`${date}T00:00:00Z`));
}
