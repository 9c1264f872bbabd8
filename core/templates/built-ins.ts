import type { ComponentRow, PageRow } from "../model/rows.ts";
import { formatTimeBeside } from "../presentation/time.ts";
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
  // Written as the page writes a time, so its script can localize it with the page's own (markTimes).
  const now = sources.now.toISOString();
  const zone = sources.page.timeZone;
  const at = (iso: string | null, beside: string) => (iso ? formatTimeBeside(iso, beside, zone) : NOT_SCHEDULED);
  return {
    page_name: sources.page.name,
    // Never empty where it is shown: a post whose text names {{components}} must name one (resolve.ts).
    components: listInWords(sources.componentNames),
    incident_name: sources.incidentName,
    next_update_at: sources.nextUpdateAt ? formatTimeBeside(sources.nextUpdateAt.toISOString(), now, zone) : "",
    starts_at: at(sources.window.startsAt, now),
    // "from Nov 27, 2026, 22:00 UTC to 23:00 UTC": the end's date only when it differs from the start's.
    ends_at: at(sources.window.endsAt, sources.window.startsAt ?? now),
  };
}

/** "API", "API and Database", "API, Database and Email delivery". */
export function listInWords(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export function componentNamesInPageOrder(components: ComponentRow[], ids: Iterable<string>): string[] {
  const wanted = new Set(ids);
  return components.filter((c) => wanted.has(c.id)).map((c) => c.name);
}
