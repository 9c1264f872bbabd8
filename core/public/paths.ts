/** The Statuspage v2 documents, by their path under /api/v2/. */
export const V2_DOCUMENTS = [
  "summary.json",
  "status.json",
  "components.json",
  "incidents.json",
  "incidents/unresolved.json",
  "scheduled-maintenances.json",
  "scheduled-maintenances/upcoming.json",
  "scheduled-maintenances/active.json",
] as const;
export type V2DocumentName = (typeof V2_DOCUMENTS)[number];

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
  /** Uptime and incidents per component over 30, 90 and 365 days, when the page publishes it. */
  reliability: () => "/reliability/",
  /** The static page with the subscribe form. */
  subscribePage: () => "/subscribe/",
  /** Where the form posts (served by the API, under PUBLIC_API_URL). */
  subscribe: () => "/subscribe",
  /** Signed-link pages, served by the API: `token` comes from core/subscribers/signed-links.ts. */
  confirmSubscription: (token: string) => `/subscribe/confirm?token=${encodeURIComponent(token)}`,
  managePreferences: (token: string) => `/subscribe/manage?token=${encodeURIComponent(token)}`,
  /** The RFC 8058 one-click unsubscribe link (`List-Unsubscribe`): POST unsubscribes, GET asks first. */
  unsubscribe: (token: string) => `/subscribe/unsubscribe?token=${encodeURIComponent(token)}`,
} as const;

/** The subscribe paths the API answers (the rest of `/subscribe/…` is the static form page). */
export function isSubscribeApiPath(path: string): boolean {
  return path === "/subscribe" || /^\/subscribe\/(confirm|manage|unsubscribe)$/.test(path);
}

/**
 * Where subscriber-facing links (confirm, manage, unsubscribe, the console) point: the page's API address when
 * the API is hosted apart (the split layout), else `sameOrigin` (the embedded default serves both on one port).
 */
export function apiOrigin(page: { apiUrl: string | null }, sameOrigin: string): string {
  return (page.apiUrl ?? sameOrigin).replace(/\/+$/, "");
}

/** A public path as an absolute URL under the page's configured address (which has no trailing slash). */
export function publicUrl(page: { url: string }, path: string): string {
  return `${page.url}${path}`;
}
