/**
 * The consistent switch on object storage: each object is replaced atomically by the store, but a
 * release is many objects, so they are written in an order where nothing a reader can reach links to an
 * object not yet there: assets first, then the leaf pages (incidents, components, history months,
 * component feeds), then the entry points readers start from (the index, the history index, the page's
 * feeds, the v2 JSON); stale objects are deleted after all of them.
 */
import { paths, V2_DOCUMENTS } from "../../core/public/paths.ts";
import { publicPathOf } from "./release-files.ts";

const ENTRY_POINTS: ReadonlySet<string> = new Set([
  paths.index(),
  paths.history(),
  paths.feed("rss"),
  paths.feed("atom"),
  paths.maintenanceCalendar(),
  paths.subscribePage(),
  ...V2_DOCUMENTS.map(paths.v2),
]);

/** 0: assets (what pages load), 1: leaf pages and feeds, 2: entry points. */
export function tierOf(file: string): 0 | 1 | 2 {
  if (ENTRY_POINTS.has(publicPathOf(file))) return 2;
  return /\.(html|json|rss|atom|ics)$/.test(file) ? 1 : 0;
}

/** The files grouped by tier, in publishing order (each group may be written in parallel). */
export function inPublishOrder(files: Iterable<string>): string[][] {
  const tiers: string[][] = [[], [], []];
  for (const file of files) tiers[tierOf(file)]?.push(file);
  return tiers.filter((tier) => tier.length > 0).map((tier) => tier.sort());
}

/** The release files a page links to on its own site (root-relative `href`/`src`), as release files. */
export function linkedFiles(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/\s(?:href|src)="(\/[^"#?]*)/g)) {
    const target = match[1] ?? "";
    if (target.startsWith("//")) continue; // another host
    found.add(target.endsWith("/") ? `${target.slice(1)}index.html` : target.slice(1));
  }
  return [...found];
}
