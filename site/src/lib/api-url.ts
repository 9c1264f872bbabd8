import { paths } from "../../../core/public/paths.ts";
import type { PageInfo } from "../../../core/public/site-views.ts";

/**
 * The page's API address (PUBLIC_API_URL at start, `api_url` in the page settings): where the API answers when
 * the static site is hosted elsewhere (a CDN, Pages, object storage). Null: forms post to the page's own origin
 * (the embedded default serves both on one port).
 */
export function publicApiUrl(page: Pick<PageInfo, "apiUrl">): string {
  return (page.apiUrl ?? "").replace(/\/+$/, "");
}

/** The subscribe form's `action`. */
export function subscribeAction(page: Pick<PageInfo, "apiUrl">): string {
  return `${publicApiUrl(page)}${paths.subscribe()}`;
}

/** The API's origin for the page's CSP `form-action`, when it is not the page's own. */
export function apiOrigin(page: Pick<PageInfo, "apiUrl">): string | null {
  const url = publicApiUrl(page);
  return url ? new URL(url).origin : null;
}
