/**
 * The one way a time is written. Every surface prints an instant as "Nov 26, 2026, 10:04 UTC" (or its
 * time-only tail "10:04 UTC" when the date is plain from context): en-US date, 24-hour clock, the zone
 * always named. Surfaces without a script (mail, feeds, a page before its script runs) use the page's
 * time zone; the public page's script rewrites every `<time>` into the reader's zone with these same
 * options (`TIME_FORMAT_OPTIONS`), so one page never mixes zones or formats.
 */

const DATE = { month: "short", day: "numeric", year: "numeric" } as const;
const CLOCK = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } as const;

/** The Intl options of a full time and a time-only one, shared with the page's localizing script. */
export const TIME_FORMAT_OPTIONS = { dateTime: { ...DATE, ...CLOCK }, time: CLOCK, day: DATE } as const;

type ZoneFormats = { dateTime: Intl.DateTimeFormat; time: Intl.DateTimeFormat; day: Intl.DateTimeFormat };
// `toLocaleString` builds a formatter per call (~0.1 ms); a page formats hundreds of times.
const formats = new Map<string, ZoneFormats>();

function zoneFormats(timeZone: string): ZoneFormats {
  let zone = formats.get(timeZone);
  if (!zone) {
    const zoneOrUtc = canonicalTimeZone(timeZone) ?? "UTC";
    zone = {
      dateTime: new Intl.DateTimeFormat("en-US", { ...TIME_FORMAT_OPTIONS.dateTime, timeZone: zoneOrUtc }),
      time: new Intl.DateTimeFormat("en-US", { ...TIME_FORMAT_OPTIONS.time, timeZone: zoneOrUtc }),
      day: new Intl.DateTimeFormat("en-US", { ...TIME_FORMAT_OPTIONS.day, timeZone: zoneOrUtc }),
    };
    formats.set(timeZone, zone);
  }
  return zone;
}

/** An IANA time zone name (`Europe/Berlin`) as the runtime spells it; null for anything else (offsets like `+01:00` included). */
export function canonicalTimeZone(value: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** "Nov 26, 2026, 11:04 GMT+1" in `timeZone` (an unknown zone reads as UTC). */
export function formatTime(iso: string, timeZone = "UTC"): string {
  return zoneFormats(timeZone).dateTime.format(new Date(iso));
}

/** "11:04 GMT+1": for a time whose day is plain from what it stands beside. */
export function formatClock(iso: string, timeZone = "UTC"): string {
  return zoneFormats(timeZone).time.format(new Date(iso));
}

/** Whether two times fall on the same calendar day in `timeZone`. */
export function sameDay(a: string, b: string, timeZone = "UTC"): boolean {
  const { day } = zoneFormats(timeZone);
  return day.format(new Date(a)) === day.format(new Date(b));
}

/** The time in full, or only its clock when it falls on the same day as `context` in `timeZone`. */
export function formatTimeBeside(iso: string, context: string | null | undefined, timeZone = "UTC"): string {
  return context && sameDay(context, iso, timeZone) ? formatClock(iso, timeZone) : formatTime(iso, timeZone);
}

/** A window: "Nov 27, 2026, 02:00 UTC – 04:00 UTC (2 h)"; the end's date is left out on the same day. */
export function formatWindow(from: string, until: string, timeZone = "UTC"): string {
  return `${formatTime(from, timeZone)} – ${formatTimeBeside(until, from, timeZone)} (${formatDuration(from, until)})`;
}

/** The time between two instants, as `formatMinutes` writes it. */
export function formatDuration(fromIso: string, toIso: string): string {
  return formatMinutes(Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
}

/**
 * "45 min", "2 h", "2 h 14 min", "3 d 4 h"; under a minute reads "under a minute". Self-contained: the
 * console's script embeds its source, so a countdown reads the same before and after it ticks.
 */
export function formatMinutes(count: number): string {
  const minutes = Math.max(0, Math.round(count));
  if (minutes < 1) return "under a minute";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

const UTC_DAY = new Intl.DateTimeFormat("en-US", { ...DATE, timeZone: "UTC" });
const UTC_SHORT_DAY = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const UTC_MONTH = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

/** Formatted days, kept: every render labels the same 90 days for each component. */
const dayNames = new Map<string, string>();

/** "Aug 29, 2026" for a `YYYY-MM-DD` UTC day (uptime days are UTC days). */
export function formatDay(date: string): string {
  let name = dayNames.get(date);
  if (name === undefined) {
    if (dayNames.size >= 1_000) dayNames.clear();
    name = UTC_DAY.format(new Date(`${date.slice(0, 10)}T00:00:00Z`));
    dayNames.set(date, name);
  }
  return name;
}

/** "Aug 29" for a `YYYY-MM-DD` UTC day. */
export function formatShortDay(date: string): string {
  return UTC_SHORT_DAY.format(new Date(`${date.slice(0, 10)}T00:00:00Z`));
}

/** "November 2026" for a time or a `YYYY-MM` month: the UTC month a history page lists it under. */
export function formatMonth(isoOrMonth: string): string {
  return UTC_MONTH.format(new Date(`${isoOrMonth.slice(0, 7)}-01T00:00:00Z`));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Wraps the times a template wrote into an update's text ("Next update by 13:38 UTC", written in the
 * page's zone when it was posted) in `<time datetime data-local>`, so the page's script localizes them
 * with the page's own times. `instants` are the times the text may name (its promise, the window).
 * Only text between tags changes; a time written in another zone or form is left as written.
 */
export function markTimes(
  html: string,
  instants: readonly string[],
  timeZone = "UTC",
  /** The time the text was written beside (its update's): a clock alone is re-decided against it. */
  beside?: string,
): string {
  const forms = new Map<string, { iso: string; mode: "" | "time" }>();
  for (const iso of instants) {
    forms.set(formatTime(iso, timeZone), { iso, mode: "" });
    const clock = formatClock(iso, timeZone);
    if (!forms.has(clock)) forms.set(clock, { iso, mode: "time" });
  }
  if (forms.size === 0) return html;
  const alternatives = [...forms.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\w:])(?:${alternatives.join("|")})(?![\\w:])`, "g");
  return html
    .split(/(<[^>]*>)/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(pattern, (text) => {
            const form = forms.get(text);
            if (!form) return text;
            const besideAttribute = form.mode === "time" && beside ? ` data-beside="${beside}"` : "";
            return `<time datetime="${form.iso}" data-local="${form.mode}"${besideAttribute}>${text}</time>`;
          }),
    )
    .join("");
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** `markTimes` for plain text (an excerpt): escaped into HTML first. */
export function markTimesInText(text: string, instants: readonly string[], timeZone = "UTC", beside?: string): string {
  return markTimes(
    text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c] ?? c),
    instants,
    timeZone,
    beside,
  );
}
