import type { V2DocumentName } from "./statuspage.ts";

/** A feed's format, as its file extension. */
export type FeedFormat = "rss" | "atom";

/**
 * Every public URL path Herald publishes, in one place: pages, feeds, the calendar and the JSON link to
 * these, and the renderer writes exactly these routes. Paths start at the site's root ("/…").
 */
export const paths = {
  index: () => "/",
  incident: (id: string) => `/incidents/${id}/`,
  component: (id: string) => `/components/${id}/`,
  componentFeed: (id: string, format: FeedFormat) => `/components/${id}/history.${format}`,
  history: () => "/history/",
  /** `month` is `YYYY-MM`. */
  historyMonth: (month: string) => `/history/${month}/`,
  feed: (format: FeedFormat) => `/history.${format}`,
  maintenanceCalendar: () => "/maintenance.ics",
  v2: (name: V2DocumentName) => `/api/v2/${name}`,
} as const;

/** A public path as an absolute URL under the page's configured address (which has no trailing slash). */
export function publicUrl(page: { url: string }, path: string): string {
  return `${page.url}${path}`;
}
