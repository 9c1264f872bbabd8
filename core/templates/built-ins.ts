import type { ComponentRow, PageRow } from "../types.ts";
import type { BuiltIn } from "./render.ts";

/** What the built-in values are made from: the page, the post's components and times, the incident. */
export type BuiltInSources = {
  page: Pick<PageRow, "name" | "timeZone">;
  /** The components the post names, else those the incident touched, in page order. */
  componentNames: string[];
  incidentName: string;
  /** When the next update is promised; null: no promise. */
  nextUpdateAt: Date | null;
  window: { startsAt: string | null; endsAt: string | null };
  now: Date;
};

/** Shown for {{starts_at}} / {{ends_at}} in a preview of a maintenance not scheduled yet. */
export const NOT_SCHEDULED = "(not scheduled yet)";

export function builtInValues(sources: BuiltInSources): Record<BuiltIn, string> {
  const zone = validTimeZone(sources.page.timeZone);
  const at = (iso: string | null) => (iso ? formatTime(new Date(iso), zone, sources.now) : NOT_SCHEDULED);
  return {
    page_name: sources.page.name,
    // Never empty where it is shown: a post whose text names {{components}} must name one (resolve.ts).
    components: listInWords(sources.componentNames),
    incident_name: sources.incidentName,
    next_update_at: sources.nextUpdateAt ? formatTime(sources.nextUpdateAt, zone, sources.now) : "",
    starts_at: at(sources.window.startsAt),
    ends_at: at(sources.window.endsAt),
  };
}

/** "API", "API and Database", "API, Database and Email delivery". */
export function listInWords(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** "14:30 CET" in the page's time zone; with the date ("Thu 3 Dec, 22:00 UTC") when it is not today there. */
export function formatTime(at: Date, timeZone: string, now: Date): string {
  const time = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(at);
  const day = (d: Date) =>
    new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short" }).format(d);
  return day(at) === day(now) && Math.abs(at.getTime() - now.getTime()) < 86_400_000
    ? time
    : `${day(at).replace(",", "")}, ${time}`;
}

function validTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

export function componentNamesInPageOrder(components: ComponentRow[], ids: Iterable<string>): string[] {
  const wanted = new Set(ids);
  return components.filter((c) => wanted.has(c.id)).map((c) => c.name);
}
