/**
 * Times as the public page prints them before its script localizes them (site/src/lib/format.ts, which
 * core cannot import): a mail has no script, so it keeps the UTC form. A test holds the two equal.
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

/** A maintenance window as the page shows it: "Nov 27, 2026, 02:00 UTC – 04:00 UTC (2 h)". */
export function formatWindow(from: string, until: string): string {
  const end = sameUtcDay(from, until) ? formatUtcTime(until) : formatUtc(until);
  return `${formatUtc(from)} – ${end} (${formatDuration(from, until)})`;
}
